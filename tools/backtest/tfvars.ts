/**
 * Terraform variable files as users write them: `terraform.tfvars` (HCL) in
 * its plain forms, or `*.tfvars.json`.
 * https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files
 *
 * HCL here is the literal subset: `name = value` per line, where a value is a
 * string ("...", with \n \t \" \\ \uXXXX escapes; `${` interpolation is
 * refused), a number, true, false, null, a list [...] or an object { k = v }
 * (or k: v), across lines, with trailing commas, and #, // and /* *\/
 * comments. Anything else (function calls, references, heredocs) is refused
 * with the line it is on: such a file needs `terraform plan` (use --plan).
 */

export type TfValue = string | number | boolean | null | TfValue[] | { [key: string]: TfValue };

export class TfvarsError extends Error {}

export function parseTfvars(text: string, fileName: string): Record<string, TfValue> {
  if (fileName.endsWith(".json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err: unknown) {
      throw new TfvarsError(`${fileName} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new TfvarsError(`${fileName}: a .tfvars.json file holds one JSON object of variable values`);
    }
    return parsed as Record<string, TfValue>;
  }
  return new HclReader(text, fileName).file();
}

class HclReader {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly fileName: string,
  ) {}

  file(): Record<string, TfValue> {
    const values: Record<string, TfValue> = {};
    for (this.skip(); this.at < this.text.length; this.skip()) {
      const name = this.identifier();
      this.skip(false);
      if (this.text[this.at] !== "=") this.fail(`expected "=" after ${name}`);
      this.at += 1;
      values[name] = this.value();
      this.skip(false);
      if (this.at < this.text.length && this.text[this.at] !== "\n") this.fail(`expected the end of the line after the value of ${name}`);
    }
    return values;
  }

  private value(): TfValue {
    this.skip();
    const c = this.text[this.at];
    if (c === '"') return this.string();
    if (c === "[") return this.list();
    if (c === "{") return this.object();
    const word = /^(-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null)(?![A-Za-z0-9_.(-])/.exec(this.text.slice(this.at));
    if (word === null) this.fail("expected a string, number, true, false, null, list or object (expressions need terraform: use --plan)");
    this.at += word[0].length;
    return word[0] === "true" ? true : word[0] === "false" ? false : word[0] === "null" ? null : Number(word[0]);
  }

  private string(): string {
    let out = "";
    for (this.at += 1; this.at < this.text.length; this.at += 1) {
      const c = this.text[this.at]!;
      if (c === '"') {
        this.at += 1;
        return out;
      }
      if (c === "\n") break;
      if ((c === "$" || c === "%") && this.text[this.at + 1] === "{") this.fail("template interpolation needs terraform: use --plan");
      if (c === "\\") {
        const e = this.text[++this.at];
        const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
        if (e !== undefined && e in simple) out += simple[e];
        else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 1, this.at + 5))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.at + 1, this.at + 5), 16));
          this.at += 4;
        } else this.fail(`unknown escape \\${e ?? ""}`);
      } else out += c;
    }
    return this.fail("unterminated string");
  }

  private list(): TfValue[] {
    const items: TfValue[] = [];
    this.at += 1;
    for (;;) {
      this.skip();
      if (this.text[this.at] === "]") {
        this.at += 1;
        return items;
      }
      items.push(this.value());
      this.skip();
      if (this.text[this.at] === ",") this.at += 1;
      else if (this.text[this.at] !== "]") this.fail('expected "," or "]" in a list');
    }
  }

  private object(): Record<string, TfValue> {
    const entries: Record<string, TfValue> = {};
    this.at += 1;
    for (;;) {
      this.skip();
      if (this.text[this.at] === "}") {
        this.at += 1;
        return entries;
      }
      const key = this.text[this.at] === '"' ? this.string() : this.identifier();
      this.skip(false);
      if (this.text[this.at] !== "=" && this.text[this.at] !== ":") this.fail(`expected "=" after the key ${key}`);
      this.at += 1;
      entries[key] = this.value();
      this.skip(false);
      if (this.text[this.at] === ",") this.at += 1;
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.at));
    if (match === null) this.fail("expected a variable name");
    this.at += match[0].length;
    return match[0];
  }

  /** Skips blanks and comments; newlines too unless `newlines` is false. */
  private skip(newlines = true): void {
    for (;;) {
      const rest = this.text.slice(this.at, this.at + 2);
      const c = rest[0];
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) this.at += 1;
      else if (c === "#" || rest === "//") {
        while (this.at < this.text.length && this.text[this.at] !== "\n") this.at += 1;
      } else if (rest === "/*") {
        const end = this.text.indexOf("*/", this.at + 2);
        if (end < 0) this.fail("unterminated /* comment");
        this.at = end + 2;
      } else return;
    }
  }

  private fail(message: string): never {
    const line = this.text.slice(0, this.at).split("\n").length;
    throw new TfvarsError(`${this.fileName}:${line}: ${message}`);
  }
}
