import { describe, expect, it } from "vitest";
import { findUndeclaredVariables } from "../../tools/terraform-inputs";
import { declaredVariableNames } from "../../src/config/declared-variables";
import { synthStack } from "../support/synth";

const declared = declaredVariableNames();

describe("the declared names the checks compare against", () => {
  it("are exactly the variables of the synthesized stack", () => {
    expect(declared).toEqual(Object.keys(synthStack().variable).sort());
  });
});

describe("undeclared variables in tfvars files", () => {
  it("is a problem whose first line names the variable and the nearest declared one", () => {
    // Prepare
    const file = { shownPath: "terraform.tfvars", text: 'application_name = "acme"\nsns_endpoints = ["security@example.com"]\n' };

    // Act
    const problems = findUndeclaredVariables(declared, [file], {});

    // Assess
    expect(problems.map((p) => p.variable)).toEqual(["sns_endpoints"]);
    expect(problems[0]!.message.split("\n")).toEqual([
      'Error: Undeclared variable "sns_endpoints" (did you mean "sns_endpoint"?)',
      "",
      "  on terraform.tfvars line 2:",
      '   2: sns_endpoints = ["security@example.com"]',
      "",
      'This stack declares no variable named "sns_endpoints". Did you mean',
      '"sns_endpoint"? Terraform alone would only warn and plan with sns_endpoint\'s',
      "default.",
    ]);
  });

  it("lists the declared variables when no name is close", () => {
    const [problem] = findUndeclaredVariables(declared, [{ shownPath: "x.tfvars.json", text: '{"region": "eu-west-1"}' }], {});
    expect(problem!.message.split("\n")[0]).toBe('Error: Undeclared variable "region"');
    expect(problem!.message.replace(/\n/g, " ")).toContain(`Declared variables: ${declared.join(", ")}.`);
  });

  it("finds nothing in a file that sets only declared variables", () => {
    const text = declared.map((name) => `${name} = null`).join("\n");
    expect(findUndeclaredVariables(declared, [{ shownPath: "ok.tfvars", text }], {})).toEqual([]);
  });
});

describe("undeclared variables in TF_VAR_*", () => {
  it("is a problem naming the variable and the environment variable, with a way out for other configurations", () => {
    const problems = findUndeclaredVariables(declared, [], {
      TF_VAR_sns_endpoint: '"a@example.com"',
      TF_VAR_iam_event: '["CreateUser"]',
      PATH: "/usr/bin",
    });
    expect(problems.map((p) => p.message.split("\n")[0])).toEqual(['Error: Undeclared variable "iam_event" in TF_VAR_iam_event (did you mean "iam_events"?)']);
    expect(problems[0]!.message).toContain("env -u TF_VAR_iam_event");
  });
});
