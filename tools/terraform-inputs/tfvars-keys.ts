/**
 * The top-level names a variable definitions file sets, with their line
 * numbers, without evaluating anything: enough to tell a misspelt name from a
 * declared one before Terraform runs. Terraform reads `*.json` files as JSON
 * and everything else as HCL native syntax
 * (https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files).
 *
 * A file this scanner cannot make sense of yields the names it found so far;
 * Terraform's own parser reports the syntax error afterwards.
 */

export interface TfvarsKey {
  readonly name: string;
  /** 1-based, as Terraform's diagnostics count. */
  readonly line: number;
}

interface Token {
  readonly kind: "ident" | "string" | "punct";
  readonly text: string;
  readonly line: number;
  /** Bracket depth before the token. */
  readonly depth: number;
  /** The first token on its line. */
  readonly lineStart: boolean;
}

const OPENING = new Set(["[", "{", "("]);
const CLOSING = new Set(["]", "}", ")"]);

/** Tokens of HCL native syntax or JSON, skipping comments, heredoc bodies and string contents. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  let lineStart = true;
  const push = (kind: Token["kind"], value: string, at: number): void => {
    tokens.push({ kind, text: value, line: at, depth, lineStart });
    lineStart = false;
  };
  /** Skips a quoted string starting at text[i] === '"', including `${ ... }` templates with nested strings. */
  const skipString = (): string => {
    const start = ++i;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i += 2;
      else if ((text[i] === "$" || text[i] === "%") && text[i + 1] === "{") skipTemplate();
      else {
        if (text[i] === "\n") line++;
        i++;
      }
    }
    const value = text.slice(start, i);
    i++; // closing quote
    return value;
  };
  const skipTemplate = (): void => {
    i += 2;
    let nested = 1;
    while (i < text.length && nested > 0) {
      const c = text[i]!;
      if (c === '"') {
        skipString();
        continue;
      }
      if (c === "{") nested++;
      else if (c === "}") nested--;
      else if (c === "\n") line++;
      i++;
    }
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
      lineStart = true;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === "\n") line++;
      i = stop;
    } else if (c === "<" && text[i + 1] === "<" && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) {
      const marker = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)/.exec(text.slice(i))!;
      push("punct", "<<", line);
      i += marker[0].length;
      // The body runs until a line holding only the marker (indented for <<-).
      for (;;) {
        const next = text.indexOf("\n", i);
        if (next < 0) {
          i = text.length;
          break;
        }
        line++;
        i = next + 1;
        const end = text.indexOf("\n", i);
        const content = text.slice(i, end < 0 ? text.length : end).trim();
        if (content === marker[1]) {
          i += text.slice(i, end < 0 ? text.length : end).length;
          break;
        }
      }
    } else if (c === '"') {
      const at = line;
      const value = skipString();
      push("string", value, at);
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
      push("ident", text.slice(start, i), line);
    } else {
      if (CLOSING.has(c)) depth = Math.max(0, depth - 1);
      // "==" is a comparison, not an assignment.
      const value = c === "=" && text[i + 1] === "=" ? "==" : c;
      push("punct", value, line);
      if (OPENING.has(c)) depth++;
      i += value.length;
    }
  }
  return tokens;
}

/** Names assigned at the top level of an HCL variable definitions file (`name = value`). */
export function hclTopLevelKeys(text: string): TfvarsKey[] {
  const tokens = tokenize(text);
  return tokens.flatMap((token, index) =>
    token.kind === "ident" && token.depth === 0 && token.lineStart && tokens[index + 1]?.text === "="
      ? [{ name: token.text, line: token.line }]
      : [],
  );
}

const unescapeJson = (raw: string): string => {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
};

/** Property names of the top-level object of a JSON variable definitions file. */
export function jsonTopLevelKeys(text: string): TfvarsKey[] {
  const tokens = tokenize(text);
  return tokens.flatMap((token, index) =>
    token.kind === "string" && token.depth === 1 && tokens[index + 1]?.text === ":"
      ? [{ name: unescapeJson(token.text), line: token.line }]
      : [],
  );
}

/** Top-level names of a variable definitions file, read as Terraform would read a file of that name. */
export function tfvarsKeys(fileName: string, text: string): TfvarsKey[] {
  return fileName.toLowerCase().endsWith(".json") ? jsonTopLevelKeys(text) : hclTopLevelKeys(text);
}
