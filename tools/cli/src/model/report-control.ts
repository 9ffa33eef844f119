import type { AccessResult, Data, TypeSpecification } from "@mms/pdu";
import { DataAccessError } from "@mms/pdu";

/**
 * A minimal IEC 61850-7-2 unbuffered report control block (URCB, `LN$RP$NAME`) for the demo
 * server, mapped to MMS as IEC 61850-8-1 §17 says: a structured variable whose attributes a
 * client writes (`RptEna`, `GI`, `TrgOps`, `OptFlds`, `IntgPd`, `DatSet`, `Resv`), and
 * InformationReports on the VMD-specific list name `RPT`. Sans-IO: the owner calls `changed`,
 * `integrity` and `writeAttribute`, and sends what they return.
 */

/** Attribute order of an URCB (IEC 61850-8-1 Table 25). */
export const URCB_ATTRIBUTES = [
  "RptID",
  "RptEna",
  "Resv",
  "DatSet",
  "ConfRev",
  "OptFlds",
  "BufTm",
  "SqNum",
  "TrgOps",
  "IntgPd",
  "GI",
] as const;
export type UrcbAttribute = (typeof URCB_ATTRIBUTES)[number];

export const URCB_TYPES: Record<UrcbAttribute, TypeSpecification> = {
  RptID: { type: "visibleString", size: -129 },
  RptEna: { type: "boolean" },
  Resv: { type: "boolean" },
  DatSet: { type: "visibleString", size: -129 },
  ConfRev: { type: "unsigned", bits: 32 },
  OptFlds: { type: "bitString", size: 10 },
  BufTm: { type: "unsigned", bits: 32 },
  SqNum: { type: "unsigned", bits: 8 },
  TrgOps: { type: "bitString", size: 6 },
  IntgPd: { type: "unsigned", bits: 32 },
  GI: { type: "boolean" },
};

/** TrgOps bits (IEC 61850-8-1 §17.2.2.2): 1 data-change, 2 quality-change, 3 data-update, 4 integrity, 5 GI. */
export const Trg = { dataChange: 1, qualityChange: 2, dataUpdate: 3, integrity: 4, gi: 5 } as const;
/** OptFlds bits: 1 sequence-number, 2 report-time-stamp, 3 reason-for-inclusion, 4 data-set-name, 5 data-reference, 8 conf-revision. */
export const Opt = { seqNum: 1, timeStamp: 2, reason: 3, dataSet: 4, dataRef: 5, confRev: 8 } as const;

const bits = (n: number, set: readonly number[]): Data => {
  const bytes = new Uint8Array(Math.ceil(n / 8));
  for (const b of set) bytes[b >> 3] = (bytes[b >> 3] ?? 0) | (0x80 >> (b & 7));
  return { type: "bitString", value: { bytes, bitLength: n } };
};
const bitSet = (d: Data, i: number): boolean =>
  d.type === "bitString" &&
  i < d.value.bitLength &&
  (((d.value.bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) === 1;

/** A data set member: its item name in the domain and a way to read it. */
export interface ReportMember {
  readonly item: string;
  readonly read: () => Data;
}

/** A report to send: the InformationReport content (list name `RPT`, access results). */
export interface ReportToSend {
  readonly associationId: number;
  readonly results: readonly AccessResult[];
}

export class ReportControlBlock {
  readonly name: string;
  readonly domain: string;
  readonly members: readonly ReportMember[];
  readonly values = new Map<UrcbAttribute, Data>();
  /** The association that reserved or enabled the block (one client at a time). */
  owner: number | undefined;
  #sqNum = 0;
  #lastIntegrity = 0;

  constructor(
    domain: string,
    name: string,
    dataSet: string,
    members: readonly ReportMember[],
    rptId: string,
  ) {
    this.domain = domain;
    this.name = name;
    this.members = members;
    const v = this.values;
    v.set("RptID", { type: "visibleString", value: rptId });
    v.set("RptEna", { type: "boolean", value: false });
    v.set("Resv", { type: "boolean", value: false });
    v.set("DatSet", { type: "visibleString", value: `${domain}/${dataSet}` });
    v.set("ConfRev", { type: "unsigned", value: 1 });
    v.set("OptFlds", bits(10, [Opt.seqNum, Opt.timeStamp, Opt.reason, Opt.dataSet, Opt.confRev]));
    v.set("BufTm", { type: "unsigned", value: 0 });
    v.set("SqNum", { type: "unsigned", value: 0 });
    v.set("TrgOps", bits(6, [Trg.dataChange, Trg.qualityChange, Trg.gi]));
    v.set("IntgPd", { type: "unsigned", value: 0 });
    v.set("GI", { type: "boolean", value: false });
  }

  get enabled(): boolean {
    const e = this.values.get("RptEna");
    return e?.type === "boolean" && e.value;
  }

  read(attr: UrcbAttribute): Data {
    return this.values.get(attr) ?? { type: "boolean", value: false };
  }

  /**
   * A client writes an attribute (IEC 61850-7-2 §17.2.2): other clients are refused while the
   * block is owned; configuration is refused while enabled; GI = true asks for a GI report.
   * Returns a DataAccessError, or the reports to send.
   */
  writeAttribute(
    attr: UrcbAttribute,
    value: Data,
    associationId: number,
    now: number,
  ): number | ReportToSend[] {
    if (this.owner !== undefined && this.owner !== associationId)
      return DataAccessError.temporarilyUnavailable;
    if (["RptID", "ConfRev", "SqNum"].includes(attr)) return DataAccessError.objectAccessDenied;
    if (this.enabled && !["RptEna", "GI", "Resv"].includes(attr))
      return DataAccessError.temporarilyUnavailable;
    if (attr === "GI") {
      if (value.type !== "boolean") return DataAccessError.typeInconsistent;
      return value.value && this.enabled && bitSet(this.read("TrgOps"), Trg.gi)
        ? [this.#report(now, associationId, "gi")]
        : [];
    }
    this.values.set(attr, value);
    if (attr === "RptEna" || attr === "Resv") {
      const on = value.type === "boolean" && value.value;
      const other = attr === "RptEna" ? this.read("Resv") : this.read("RptEna");
      const stillOwned = on || (other.type === "boolean" && other.value);
      this.owner = stillOwned ? associationId : undefined;
    }
    return [];
  }

  /** The association ended: release the block (IEC 61850-7-2: a URCB is freed with its client). */
  release(associationId: number): void {
    if (this.owner !== associationId) return;
    this.owner = undefined;
    this.values.set("RptEna", { type: "boolean", value: false });
    this.values.set("Resv", { type: "boolean", value: false });
  }

  /** Data changed: a report of the changed members when enabled for data change. */
  changed(items: ReadonlySet<string>, now: number): ReportToSend[] {
    if (!this.enabled || this.owner === undefined || !bitSet(this.read("TrgOps"), Trg.dataChange)) return [];
    const idx = this.members.map((m, i) => (items.has(m.item) ? i : -1)).filter((i) => i >= 0);
    return idx.length ? [this.#report(now, this.owner, "dataChange", idx)] : [];
  }

  /** A report of every member when the integrity period IntgPd (ms) elapsed and integrity is enabled. */
  integrity(now: number): ReportToSend[] {
    if (!this.enabled || this.owner === undefined || !bitSet(this.read("TrgOps"), Trg.integrity)) return [];
    const p = this.read("IntgPd");
    const period = p.type === "unsigned" ? Number(p.value) : 0;
    if (period <= 0 || now - this.#lastIntegrity < period) return [];
    this.#lastIntegrity = now;
    return [this.#report(now, this.owner, "integrity")];
  }

  #report(
    now: number,
    associationId: number,
    reason: "gi" | "dataChange" | "integrity",
    only?: number[],
  ): ReportToSend {
    const opt = this.read("OptFlds");
    const included = only ?? this.members.map((_, i) => i);
    const results: AccessResult[] = [];
    const ok = (data: Data): void => {
      results.push({ success: true, data });
    };
    ok(this.read("RptID"));
    ok(opt);
    if (bitSet(opt, Opt.seqNum)) ok({ type: "unsigned", value: this.#sqNum });
    if (bitSet(opt, Opt.timeStamp)) {
      const day0 = Date.UTC(1984, 0, 1);
      const days = Math.floor((now - day0) / 86_400_000);
      ok({ type: "binaryTime", value: { msSinceMidnight: (now - day0) % 86_400_000, days } });
    }
    if (bitSet(opt, Opt.dataSet)) ok(this.read("DatSet"));
    if (bitSet(opt, Opt.confRev)) ok(this.read("ConfRev"));
    ok(bits(this.members.length, included));
    if (bitSet(opt, Opt.dataRef)) {
      for (const i of included)
        ok({ type: "visibleString", value: `${this.domain}/${this.members[i]?.item ?? ""}` });
    }
    for (const i of included) {
      const m = this.members[i];
      if (m) ok(m.read());
    }
    if (bitSet(opt, Opt.reason)) {
      const r = reason === "gi" ? 5 : reason === "integrity" ? 4 : 1;
      for (const _ of included) ok(bits(7, [r]));
    }
    this.#sqNum = (this.#sqNum + 1) & 0xff;
    this.values.set("SqNum", { type: "unsigned", value: this.#sqNum });
    return { associationId, results };
  }
}
