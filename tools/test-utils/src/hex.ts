/** Hex text (whitespace, `:` and `#` comments ignored) to bytes. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, "").replace(/[^0-9a-fA-F]/g, "");
  if (clean.length % 2) throw new Error(`odd number of hex digits (${clean.length})`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Template tag: hex`03 00 00 16 # TPKT` → bytes. */
export function hex(strings: TemplateStringsArray, ...values: unknown[]): Uint8Array {
  return fromHex(String.raw({ raw: strings }, ...values));
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}
