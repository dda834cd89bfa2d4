/**
 * Terraform's diagnostics, from output recorded from Terraform 1.11 (plain,
 * with -no-color) and the same output as a terminal shows it (boxed, coloured).
 */
import { describe, expect, it } from "vitest";
import { parseDiagnostics, variableOf, withVariableInHeadline } from "../../tools/terraform-inputs";

const PLAIN = `
Planning failed. Terraform encountered an error while generating this plan.

Error: Invalid value for variable

  on /tmp/bad.tfvars line 1:
   1: sns_endpoint = ["security.example.com"]
    ├────────────────
    │ var.sns_endpoint is tuple with 1 element

sns_endpoint must be an email address or a list of email addresses, each like
"security@example.com".

This was checked by the validation rule at variables.tf.json:94,21-22.

Warning: Value for undeclared variable

The root module does not declare a variable named "sns_endpoints" but a value
was found in file "/tmp/bad.tfvars".
`;

/** The same diagnostics as Terraform draws them on a terminal. */
const boxed = (plain: string): string => {
  const red = (s: string): string => `\u001b[31m${s}\u001b[0m\u001b[0m`;
  return plain
    .split(/\n(?=Error:|Warning:)/)
    .slice(1)
    .map((block) => [red("╷"), ...block.trimEnd().split("\n").map((l) => `${red("│")} \u001b[0m${l.replace(/^(Error|Warning): /, "\u001b[1m\u001b[31m$1: \u001b[0m\u001b[0m\u001b[1m")}`), red("╵")].join("\n"))
    .join("\n");
};

describe("Terraform diagnostics", () => {
  it.each([
    ["plain (-no-color)", PLAIN],
    ["boxed and coloured (a terminal)", boxed(PLAIN)],
  ])("are split into blocks with severity and summary: %s", (_layout, output) => {
    const diagnostics = parseDiagnostics(output);
    expect(diagnostics.map((d) => [d.severity, d.summary])).toEqual([
      ["Error", "Invalid value for variable"],
      ["Warning", "Value for undeclared variable"],
    ]);
    expect(diagnostics[0]!.text.split("\n")).toEqual([
      "Error: Invalid value for variable",
      "",
      "  on /tmp/bad.tfvars line 1:",
      '   1: sns_endpoint = ["security.example.com"]',
      "    ├────────────────",
      "    │ var.sns_endpoint is tuple with 1 element",
      "",
      "sns_endpoint must be an email address or a list of email addresses, each like",
      '"security@example.com".',
      "",
      "This was checked by the validation rule at variables.tf.json:94,21-22.",
    ]);
  });

  it("name the variable they are about, also for a value from the environment", () => {
    const [invalid] = parseDiagnostics(PLAIN);
    expect(variableOf(invalid!)).toBe("sns_endpoint");
    const [fromEnv] = parseDiagnostics("Error: Invalid character\n\n  on <value for var.iam_events> line 1:\n  (source code not available)\n");
    expect(variableOf(fromEnv!)).toBe("iam_events");
  });

  it("get the variable's name into their first line", () => {
    const [invalid] = parseDiagnostics(PLAIN);
    expect(withVariableInHeadline(invalid!, "sns_endpoint").split("\n")[0]).toBe('Error: Invalid value for variable "sns_endpoint"');
    const [other] = parseDiagnostics("Error: Invalid character\n\n  on <value for var.iam_events> line 1:\n");
    expect(withVariableInHeadline(other!, "iam_events").split("\n")[0]).toBe('Error: Invalid character (variable "iam_events")');
  });
});
