/**
 * Terraform's diagnostics (`Error: ...` / `Warning: ...` blocks) from what it
 * wrote to stderr or stdout, in either of its two layouts: plain (-no-color)
 * or boxed with `╷ │ ╵` and colours (a terminal).
 */

export interface Diagnostic {
  readonly severity: "Error" | "Warning";
  /** The first line after `Error: `. */
  readonly summary: string;
  /** The whole block, plain text, starting with `Error: `. */
  readonly text: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour sequences start with ESC
const ANSI = /\u001b\[[0-9;]*m/g;

/** Terraform's output without colours and without the box drawn around each diagnostic. */
export function plainOutput(output: string): string {
  return output
    .replace(ANSI, "")
    .split("\n")
    .filter((line) => line !== "╷" && line !== "╵")
    .map((line) => (line.startsWith("│ ") ? line.slice(2) : line === "│" ? "" : line))
    .join("\n");
}

const HEAD = /^(Error|Warning): (.*)$/;

/** Every diagnostic block, in order. A block runs until the next one starts or the output ends. */
export function parseDiagnostics(output: string): Diagnostic[] {
  const lines = plainOutput(output).split("\n");
  const blocks: { severity: Diagnostic["severity"]; summary: string; lines: string[] }[] = [];
  for (const line of lines) {
    const head = HEAD.exec(line);
    if (head !== null) blocks.push({ severity: head[1] as Diagnostic["severity"], summary: head[2]!.trim(), lines: [line] });
    else blocks.at(-1)?.lines.push(line);
  }
  return blocks.map(({ severity, summary, lines: body }) => {
    while (body.length > 1 && body.at(-1)!.trim() === "") body.pop();
    return { severity, summary, text: body.join("\n") };
  });
}

/** The input variable a diagnostic is about: `var.NAME` in its source excerpt, or `<value for var.NAME>`. */
export function variableOf(diagnostic: Diagnostic): string | undefined {
  return /\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(diagnostic.text)?.[1];
}

/**
 * The diagnostic with its first line naming the variable, so that the first
 * thing read says which input to fix: `Error: Invalid value for variable
 * "sns_endpoint"`, `Error: Invalid character (variable "sns_endpoint")`.
 */
export function withVariableInHeadline(diagnostic: Diagnostic, variable: string): string {
  const [first, ...rest] = diagnostic.text.split("\n");
  if (first!.includes(`"${variable}"`)) return diagnostic.text;
  const headline = /for variable$/.test(first!) ? `${first} "${variable}"` : `${first} (variable "${variable}")`;
  return [headline, ...rest].join("\n");
}
