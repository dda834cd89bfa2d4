/**
 * The summary as GitHub-flavoured Markdown for a pull-request comment:
 * a weakening banner first, then the monitoring impact, the counts and a
 * table of changed resources. Deterministic: same summary, same bytes.
 */
import { AREAS, Finding, FindingKind } from "./finding";
import { ChangedResource, PlanSummary } from "./summarize";

export interface RenderOptions {
  /** @default "Terraform plan review" */
  readonly title?: string;
  /**
   * Rows of the resource table; the rest is counted. GitHub caps a comment at
   * 65,536 characters.
   * @default 100
   */
  readonly maxRows?: number;
}

const SYMBOL: Readonly<Record<ChangedResource["effect"], string>> = {
  create: "+ create",
  update: "~ update",
  delete: "- destroy",
  replace: "-/+ replace",
  forget: "forget",
};

const HEADING: Readonly<Record<FindingKind, string>> = {
  weakening: "⚠️ Weakened",
  strengthening: "✅ Strengthened",
  change: "ℹ️ Worth a look",
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ");
/** Table cells: a `|` would end the cell, even inside a code span. */
const cell = (text: string): string => oneLine(text).replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
const code = (text: string): string => "`" + text.replace(/`/g, "'") + "`";

export function renderMarkdown(summary: PlanSummary, options: RenderOptions = {}): string {
  const { counts, resources, findings } = summary;
  const lines: string[] = [`## ${options.title ?? "Terraform plan review"}`, ""];
  const weakenings = findings.filter((f) => f.kind === "weakening");

  if (weakenings.length > 0) {
    lines.push(`> **⚠️ This change weakens monitoring** (${plural(weakenings.length, "finding")}): see *Monitoring impact* below.`, "");
  } else if (resources.length > 0) {
    lines.push("> No weakening of monitoring found.", "");
  }

  if (resources.length === 0) {
    lines.push("**No changes.** The infrastructure matches the configuration.", "");
  } else {
    const forget = counts.forget > 0 ? `, ${counts.forget} to forget` : "";
    lines.push(`**Plan:** ${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy${forget}.`, "");
  }

  if (summary.checkWarnings.length > 0) {
    lines.push("### Warnings from Terraform checks", "");
    for (const warning of summary.checkWarnings) lines.push(`- ${oneLine(warning)}`);
    lines.push("");
  }

  if (resources.length > 0 || findings.length > 0) {
    lines.push("### Monitoring impact", "");
    if (findings.length === 0) lines.push("No change to what is monitored, who is alerted, or the security settings reviewed.", "");
    for (const kind of ["weakening", "strengthening", "change"] as const) {
      const group = findings.filter((f) => f.kind === kind);
      if (group.length === 0) continue;
      lines.push(`**${HEADING[kind]}**`, "");
      for (const f of group) lines.push(item(f));
      lines.push("");
    }
  }

  if (resources.length > 0) {
    const max = options.maxRows ?? 100;
    lines.push("### Changed resources", "", "| Action | Resource | Changed attributes |", "|---|---|---|");
    for (const r of resources.slice(0, max)) {
      const attributes = r.attributes.length > 0 ? r.attributes.map(code).join(", ") : "";
      lines.push(`| ${SYMBOL[r.effect]} | ${cell(code(r.address))} | ${cell(attributes)} |`);
    }
    if (resources.length > max) lines.push(`| | …and ${resources.length - max} more | |`);
    lines.push("");
  }

  lines.push(
    `<sub>Monitoring impact compares the prior state with the planned values, resource type by resource type; it does not replace reading the plan (\`plan.txt\`).${summary.terraformVersion ? ` Terraform ${summary.terraformVersion}.` : ""}</sub>`,
    "",
  );
  return lines.join("\n");
}

function item(f: Finding): string {
  return `- **${AREAS[f.area]}:** ${oneLine(f.message)} <sub>${code(f.address)}</sub>`;
}
