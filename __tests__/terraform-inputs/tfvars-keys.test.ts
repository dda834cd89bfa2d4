/**
 * Top-level names of variable definitions files, as Terraform would read
 * them: HCL native syntax, or JSON for `*.json`.
 */
import { describe, expect, it } from "vitest";
import { hclTopLevelKeys, jsonTopLevelKeys, tfvarsKeys } from "../../tools/terraform-inputs";

describe("HCL tfvars", () => {
  it("finds each top-level assignment with its line, through comments of every kind", () => {
    // Prepare
    const text = [
      "# a comment with sns_endpoint = x",
      "// another = comment",
      "/* block",
      "   fake = 1 */",
      'application_name = "acme"',
      "  sns_endpoints   = [\"security@example.com\"] # trailing",
    ].join("\n");

    // Act
    const keys = hclTopLevelKeys(text);

    // Assess
    expect(keys).toEqual([
      { name: "application_name", line: 5 },
      { name: "sns_endpoints", line: 6 },
    ]);
  });

  it("does not take keys inside lists, maps and objects for top-level names", () => {
    const text = [
      "tags = {",
      '  owner = "platform"',
      '  "cost-center" = "42"',
      "}",
      "iam_events = [",
      '  "CreateUser",',
      "]",
      "alert_presets = [for p in [\"a\"] : p]",
    ].join("\n");
    expect(hclTopLevelKeys(text).map((k) => k.name)).toEqual(["tags", "iam_events", "alert_presets"]);
  });

  it("skips strings holding '=', '#', brackets and templates with nested strings", () => {
    const text = [
      'application_name = "a = b # not a comment [ {"',
      'tags = { note = "${upper("x}")} = y" }',
      "log_retention_days = 30",
    ].join("\n");
    expect(hclTopLevelKeys(text)).toEqual([
      { name: "application_name", line: 1 },
      { name: "tags", line: 2 },
      { name: "log_retention_days", line: 3 },
    ]);
  });

  it("skips heredoc bodies, indented (<<-) or not", () => {
    const text = ["description = <<EOT", "fake = 1", "EOT", "policy = <<-JSON", "    also_fake = 2", "    JSON", "tags = {}"].join("\n");
    expect(hclTopLevelKeys(text)).toEqual([
      { name: "description", line: 1 },
      { name: "policy", line: 4 },
      { name: "tags", line: 7 },
    ]);
  });

  it("reads a comparison (==) as no assignment", () => {
    expect(hclTopLevelKeys("a == b")).toEqual([]);
  });
});

describe("JSON tfvars", () => {
  it("finds the properties of the top-level object only, with their lines", () => {
    const text = JSON.stringify({ sns_endpoints: ["a@example.com"], tags: { owner: "x" }, "odd\"name": 1 }, null, 2);
    expect(jsonTopLevelKeys(text)).toEqual([
      { name: "sns_endpoints", line: 2 },
      { name: "tags", line: 5 },
      { name: 'odd"name', line: 8 },
    ]);
  });

  it("is chosen by the file name, as Terraform chooses (.json, any case)", () => {
    const json = '{"sns_endpoint": "a@example.com"}';
    expect(tfvarsKeys("prod.tfvars.json", json)).toEqual([{ name: "sns_endpoint", line: 1 }]);
    expect(tfvarsKeys("PROD.TFVARS.JSON", json)).toEqual([{ name: "sns_endpoint", line: 1 }]);
    expect(tfvarsKeys("terraform.tfvars", 'sns_endpoint = "a@example.com"')).toEqual([{ name: "sns_endpoint", line: 1 }]);
  });
});
