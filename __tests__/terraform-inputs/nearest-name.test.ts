import { describe, expect, it } from "vitest";
import { editDistance, nearestName } from "../../tools/terraform-inputs";
import { declaredVariableNames } from "../../src/config/declared-variables";

describe("edit distance", () => {
  it.each([
    ["sns_endpoint", "sns_endpoint", 0],
    ["sns_endpoints", "sns_endpoint", 1],
    ["sns_ednpoint", "sns_endpoint", 1],
    ["iam_event", "iam_events", 1],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ])("%s -> %s: %i", (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe("nearest declared variable", () => {
  const declared = declaredVariableNames();

  it.each([
    ["sns_endpoints", "sns_endpoint"],
    ["sns-endpoint", "sns_endpoint"],
    ["SNS_ENDPOINT", "sns_endpoint"],
    ["iam_event", "iam_events"],
    ["alert_preset", "alert_presets"],
    ["log_retention_day", "log_retention_days"],
    ["trail_log_retention", "trail_log_retention_days"],
    ["ignored_principals_arns", "ignored_principal_arns"],
    ["aplication_name", "application_name"],
  ])("%s -> %s", (typo, expected) => {
    expect(nearestName(typo, declared)).toBe(expected);
  });

  it("suggests nothing for a name that resembles no declared one", () => {
    expect(nearestName("region", declared)).toBeUndefined();
    expect(nearestName("x", declared)).toBeUndefined();
  });
});
