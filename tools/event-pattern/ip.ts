/**
 * IP addresses and CIDR blocks, as EventBridge's `cidr` operator and its
 * exact matching compare them.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-ip-matching
 *
 * An address is reduced to the hex digits of its bytes (8 for IPv4, 32 for
 * IPv6; an IPv4-mapped IPv6 address `::ffff:a00:5` is the IPv4 address).
 * AWS's matching library (aws/event-ruler) compares these digit strings, and
 * two of its behaviours follow from that and are kept here:
 * - an exact value that is an IP address matches the same address however it
 *   is written (`2001:DB8::1` = `2001:db8:0::1`, `010.0.0.5` = `10.0.0.5`);
 * - a block is a range over leading hex digits, whatever the family of the
 *   event's address: `10.0.0.0/8` (leading digits `0a`) also matches the IPv6
 *   address `a00::1`. Observed with the oracle; undocumented.
 */

/** The hex digits of an address, or undefined when the text is not one. */
export function ipHex(text: string): string | undefined {
  return text.includes(":") ? ipv6Hex(text) : ipv4Hex(text);
}

function ipv4Hex(text: string): string | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let hex = "";
  for (const part of parts) {
    // Decimal, 1 to 3 digits; leading zeros are accepted and stay decimal.
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    hex += value.toString(16).padStart(2, "0");
  }
  return hex;
}

function ipv6Hex(text: string): string | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string): string[] | undefined => {
    if (half === "") return [];
    const list = half.split(":");
    return list.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? list : undefined;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(missing).fill("0"), ...tail];
  const hex = all.map((g) => g.toLowerCase().padStart(4, "0")).join("");
  // IPv4-mapped (::ffff:0:0/96) is the IPv4 address itself.
  return hex.startsWith("00000000000000000000ffff") ? hex.slice(24) : hex;
}

/** A CIDR block as a test on an address's hex digits: fixed leading digits, then a range on the next one. */
export interface CidrBlock {
  readonly fixed: string;
  /** Inclusive range of the digit after `fixed`, when the mask ends inside a digit. */
  readonly partial?: { readonly low: number; readonly high: number };
}

/** Parses `address/bits`; throws an Error whose message says what is wrong. */
export function parseCidr(text: string): CidrBlock {
  const slash = text.split("/");
  if (slash.length !== 2) throw new Error(`"${text}" is not a CIDR block: write it as address/bits, for example 10.0.0.0/24`);
  const [address, bitsText] = slash as [string, string];
  const hex = ipHex(address);
  if (hex === undefined || (address.includes(":") && address.includes("."))) {
    throw new Error(`"${address}" is not an IPv4 or IPv6 address`);
  }
  const width = address.includes(":") && hex.length === 32 ? 128 : 32;
  if (!/^[0-9]+$/.test(bitsText)) throw new Error(`"${bitsText}" is not a number of mask bits`);
  const bits = Number(bitsText);
  // AWS's library rejects a full-length mask: use the plain address (an exact value) instead.
  if (bits >= width) throw new Error(`mask bits must be less than ${width}; for a single address write the address itself`);
  const whole = bits >> 2;
  const rest = bits & 3;
  const block: CidrBlock = { fixed: hex.slice(0, whole) };
  if (rest === 0) return block;
  const digit = parseInt(hex[whole]!, 16);
  const keep = (0xf << (4 - rest)) & 0xf;
  return { ...block, partial: { low: digit & keep, high: (digit & keep) | (~keep & 0xf) } };
}

export function inBlock(block: CidrBlock, hex: string): boolean {
  if (!hex.startsWith(block.fixed)) return false;
  if (block.partial === undefined) return true;
  const next = hex.charCodeAt(block.fixed.length);
  if (Number.isNaN(next)) return false;
  const digit = parseInt(hex[block.fixed.length]!, 16);
  return digit >= block.partial.low && digit <= block.partial.high;
}
