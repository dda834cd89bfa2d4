import { MAX_DEPTH, PRETTY_DEPTH } from "./json.js";
import { attributeBytes, fitJson, SAFETY_MARGIN_BYTES, SNS_MAX_MESSAGE_BYTES } from "./size.js";
import { truncateUtf8, utf8Bytes } from "./text.js";

export interface Body {
  readonly message: string;
  /** The JSON section is not the whole payload (cut to fit, or nested too deep). */
  readonly shortened: boolean;
  /** UTF-8 bytes SNS counts against its limit: message plus attributes. */
  readonly billedBytes: number;
}

export interface BodyParts {
  /** Rendered summary (every untrusted value already passed through `show`). */
  readonly summary: string;
  readonly heading: string;
  readonly payload: unknown;
  readonly subject: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Where to find the full record when the JSON is shortened (one line, rendered). */
  readonly whereToFind: string;
}

const FLATTENED_NOTE = `NOTE: JSON nested deeper than ${PRETTY_DEPTH} levels is written on one line, to keep this message small.\n`;
const TOO_DEEP_NOTE = `NOTE: JSON nested deeper than ${MAX_DEPTH} levels is not shown; a string says where.\n`;

function shortenedNote(budget: number, whereToFind: string): string {
  return `NOTE: this JSON was SHORTENED to fit the 256 KB SNS message limit (in full it needs more than the ${budget} bytes left for it). ${whereToFind}\n`;
}

/**
 * Summary, then the JSON section, shortened so that the whole publish fits
 * SNS's byte limit. The notes' room is reserved from their actual length
 * (the largest number they can carry), so nothing user-controlled can make
 * them outgrow it.
 */
export function assemble(parts: BodyParts): Body {
  const { summary, heading, payload, subject, attributes, whereToFind } = parts;
  const attrBytes = attributeBytes(attributes);
  const overhead = attrBytes + utf8Bytes(subject) + SAFETY_MARGIN_BYTES;
  const head = `${summary}\n\n----- ${heading} -----\n`;
  const reserve = utf8Bytes(shortenedNote(Number.MAX_SAFE_INTEGER, whereToFind)) + utf8Bytes(FLATTENED_NOTE) + utf8Bytes(TOO_DEEP_NOTE);
  const budget = SNS_MAX_MESSAGE_BYTES - overhead - utf8Bytes(head) - reserve;
  const fitted = fitJson(payload, Math.max(0, budget));
  const notes =
    (fitted.shortened ? shortenedNote(Math.max(0, budget), whereToFind) : "") +
    (fitted.tooDeep ? TOO_DEEP_NOTE : "") +
    (fitted.flattened ? FLATTENED_NOTE : "");
  let message = `${head}${notes}${fitted.text}\n`;
  // Last guard (unreachable unless the summary itself is enormous): never hand SNS more than it accepts.
  const room = SNS_MAX_MESSAGE_BYTES - overhead;
  if (utf8Bytes(message) > room) message = `${truncateUtf8(message, room - 64)}\n... [cut: the message did not fit]\n`;
  return { message, shortened: fitted.shortened || fitted.tooDeep, billedBytes: utf8Bytes(message) + attrBytes };
}
