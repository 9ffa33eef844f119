/** One line of a layer-by-layer dump. */
export interface LayerLine {
  readonly layer: "TPKT" | "COTP" | "SESSION" | "PRESENTATION" | "ACSE" | "MMS" | "ERROR";
  readonly text: string;
  /** A BER dump of the PDU this line summarises (MMS PDUs), shown in the detailed view. */
  readonly tree?: string;
}

/** A decoded unit: one TPKT (and, when it completes a TSDU, the upper layers). */
export interface DecodedUnit {
  readonly frame?: number;
  readonly time?: number;
  readonly flow?: string;
  readonly lines: LayerLine[];
}

export function renderUnit(u: DecodedUnit, withTrees: boolean): string {
  const head: string[] = [];
  if (u.frame !== undefined) head.push(`frame ${u.frame}`);
  if (u.time !== undefined && u.time > 0) head.push(new Date(u.time * 1000).toISOString());
  if (u.flow) head.push(u.flow);
  const out: string[] = [];
  if (head.length) out.push(`── ${head.join("  ")}`);
  for (const l of u.lines) {
    out.push(`  ${l.layer.padEnd(12)} ${l.text}`);
    if (withTrees && l.tree) out.push(...l.tree.split("\n").map((x) => `               ${x}`));
  }
  return out.join("\n");
}
