import { PRESETS } from "./presets";
import type { Preset, PresetPart } from "./types";

/** Key of one rule: `<preset>` or `<preset>/<part>`; also the `for_each` key of its resources. */
export function ruleKey(preset: Preset, part: PresetPart): string {
  return part.id === "" ? preset.name : `${preset.name}/${part.id}`;
}

/** Rule name suffix for a key: `/` is not allowed in rule names. */
export function ruleSuffix(key: string): string {
  return key.replace("/", "-");
}

/**
 * Longest suffix a rule name may have: rule names are at most 64 characters
 * and `application_name` at most 28, plus the joining `-`.
 */
export const MAX_RULE_SUFFIX = 64 - 28 - 1;

export interface PresetRule {
  readonly key: string;
  readonly preset: Preset;
  readonly part: PresetPart;
}

/** Every (preset, part) pair, in catalog order. */
export function presetRules(): PresetRule[] {
  return PRESETS.flatMap((preset) => preset.parts.map((part) => ({ key: ruleKey(preset, part), preset, part })));
}

