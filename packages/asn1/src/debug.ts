import type { DecodeLimits } from "./limits";
import { BerDecodeError } from "./errors";
import { tagName } from "./tag";
import { type BerNode, decodeTree } from "./tree";

function hex(b: Uint8Array, max: number): string {
  let s = "";
  const n = Math.min(b.length, max);
  for (let i = 0; i < n; i++) s += (i ? " " : "") + b[i]!.toString(16).padStart(2, "0");
  return b.length > max ? `${s} …(+${b.length - max})` : s;
}

function printable(b: Uint8Array): string | undefined {
  if (b.length === 0 || b.length > 80) return undefined;
  for (const c of b) if (c < 0x20 || c > 0x7e) return undefined;
  return String.fromCharCode(...b);
}

/**
 * A BER tree with offsets, one element a line, for debugging and the CLI's `decode`:
 * `  12 [1]c len=5` / `  14   INTEGER 01 "…"`. On malformed input the dump ends with the error.
 */
export function berToString(bytes: Uint8Array, limits?: DecodeLimits): string {
  const lines: string[] = [];
  const walk = (n: BerNode, indent: string): void => {
    const off = String(n.offset).padStart(5);
    if (n.children) {
      lines.push(`${off} ${indent}${tagName(n.tag)} {`);
      for (const c of n.children) walk(c, `${indent}  `);
      lines.push(`      ${indent}}`);
    } else {
      const content = n.content ?? new Uint8Array(0);
      const text = printable(content);
      lines.push(
        `${off} ${indent}${tagName(n.tag)} (${content.length}) ${hex(content, 32)}${text ? `  "${text}"` : ""}`,
      );
    }
  };
  try {
    for (const n of decodeTree(bytes, limits)) walk(n, "");
  } catch (e) {
    if (!(e instanceof BerDecodeError)) throw e;
    lines.push(`!! ${e.message}`);
  }
  return lines.join("\n");
}
