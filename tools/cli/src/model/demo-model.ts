import type { Data } from "@mms/pdu";
import {
  BOOLEAN,
  bool,
  ENTRY_TIME,
  entryId,
  entryTime,
  CHECK,
  FLOAT32,
  findNode,
  float32,
  goodQuality,
  INT8,
  INT8U,
  INT32,
  INT32U,
  int,
  isLeaf,
  leaf,
  type ModelNode,
  OCTET8,
  OCTET64,
  QUALITY,
  struct,
  TIMESTAMP,
  TRGOPS,
  uns,
  utc,
  VSTRING64,
  VSTRING129,
  VSTRING255,
  vstr,
} from "./model-builder";

/** The domain (logical device) of libiec61850's server_example_basic_io. */
export const DEMO_DOMAIN = "simpleIOGenericIO";

/** A named variable list (IEC 61850 data set) of the demo model. */
export interface DemoDataSet {
  readonly name: string;
  readonly members: readonly string[];
}

/** Data sets of server_example_basic_io: same names and members. */
export const DEMO_DATA_SETS: readonly DemoDataSet[] = [
  { name: "LLN0$Events", members: [1, 2, 3, 4].map((i) => `GGIO1$ST$SPCSO${i}$stVal`) },
  { name: "LLN0$Events2", members: [1, 2, 3, 4].map((i) => `GGIO1$ST$SPCSO${i}`) },
  {
    name: "LLN0$Measurements",
    members: [1, 2, 3, 4].flatMap((i) => [`GGIO1$MX$AnIn${i}$mag$f`, `GGIO1$MX$AnIn${i}$q`]),
  },
];

const stEnum = (name: string, v: number, t: number) =>
  struct(name, [
    leaf("stVal", INT32, int(v)),
    leaf("q", QUALITY, goodQuality()),
    leaf("t", TIMESTAMP, utc(t)),
  ]);
const spsBool = (name: string, t: number) =>
  struct(name, [
    leaf("stVal", BOOLEAN, bool(false)),
    leaf("q", QUALITY, goodQuality()),
    leaf("t", TIMESTAMP, utc(t)),
  ]);
const oper = (): ModelNode =>
  struct("Oper", [
    leaf("ctlVal", BOOLEAN, bool(false), true),
    struct("origin", [
      leaf("orCat", INT8, int(0), true),
      leaf("orIdent", OCTET64, { type: "octetString", value: new Uint8Array(0) }, true),
    ]),
    leaf("ctlNum", INT8U, uns(0), true),
    leaf("T", TIMESTAMP, utc(0), true),
    leaf("Test", BOOLEAN, bool(false), true),
    leaf("Check", CHECK, { type: "bitString", value: { bytes: new Uint8Array(1), bitLength: 2 } }, true),
  ]);

/** The log of the demo device (IEC 61850 log `LLN0.EventLog`, journal `LLN0$EventLog`). */
export const DEMO_LOG = "LLN0$EventLog";

/** EntryTime of an empty log: the binary-time epoch. */
const EPOCH_1984 = Date.UTC(1984, 0, 1);

/**
 * The log control block `LLN0$LG$EventLog` (IEC 61850-7-2 LCB, components in the order of its
 * IEC 61850-8-1 mapping, as libiec61850 serves it). Read-only here: OldEntrTm/NewEntrTm/OldEntr/NewEntr follow
 * the journal when `mms serve` feeds one.
 */
const logControlBlock = (): ModelNode =>
  struct("EventLog", [
    leaf("LogEna", BOOLEAN, bool(true)),
    leaf("LogRef", VSTRING129, vstr(`${DEMO_DOMAIN}/${DEMO_LOG}`)),
    leaf("DatSet", VSTRING129, vstr(`${DEMO_DOMAIN}/LLN0$Events`)),
    leaf("OldEntrTm", ENTRY_TIME, entryTime(EPOCH_1984)),
    leaf("NewEntrTm", ENTRY_TIME, entryTime(EPOCH_1984)),
    leaf("OldEntr", OCTET8, entryId(new Uint8Array(8))),
    leaf("NewEntr", OCTET8, entryId(new Uint8Array(8))),
    // TrgOps: data-change (bit 1), integrity and GI off.
    leaf("TrgOps", TRGOPS, { type: "bitString", value: { bytes: Uint8Array.of(0x40), bitLength: 6 } }),
    leaf("IntgPd", INT32U, uns(0)),
  ]);

/** The logical nodes LLN0, LPHD1 and GGIO1 of the demo device, with initial values at `now`. */
export function demoLogicalNodes(now: number): ModelNode[] {
  const idx = [1, 2, 3, 4];
  const lln0 = struct("LLN0", [
    struct("ST", [stEnum("Mod", 1, now), stEnum("Beh", 1, now), stEnum("Health", 1, now)]),
    struct("CF", [struct("Mod", [leaf("ctlModel", INT32, int(0))])]),
    struct("DC", [
      struct("NamPlt", [
        leaf("vendor", VSTRING255, vstr("@mms")),
        leaf("swRev", VSTRING255, vstr("0.0.0")),
        leaf("d", VSTRING255, vstr("simple I/O demo device")),
        leaf("configRev", VSTRING255, vstr("1")),
      ]),
    ]),
    struct("LG", [logControlBlock()]),
  ]);
  const lphd1 = struct("LPHD1", [
    struct("ST", [stEnum("PhyHealth", 1, now), spsBool("Proxy", now)]),
    struct("DC", [struct("PhyNam", [leaf("vendor", VSTRING255, vstr("@mms"))])]),
  ]);
  const ggio1 = struct("GGIO1", [
    struct("ST", [
      stEnum("Mod", 1, now),
      stEnum("Beh", 1, now),
      stEnum("Health", 1, now),
      ...idx.map((i) => spsBool(`Ind${i}`, now)),
      ...idx.map((i) => spsBool(`SPCSO${i}`, now)),
    ]),
    struct(
      "MX",
      idx.map((i) =>
        struct(`AnIn${i}`, [
          struct("mag", [leaf("f", FLOAT32, float32(0))]),
          leaf("q", QUALITY, goodQuality()),
          leaf("t", TIMESTAMP, utc(now)),
        ]),
      ),
    ),
    struct(
      "CO",
      idx.map((i) => struct(`SPCSO${i}`, [oper()])),
    ),
    struct("CF", [
      struct("Mod", [leaf("ctlModel", INT32, int(0))]),
      ...idx.map((i) => struct(`SPCSO${i}`, [leaf("ctlModel", INT32, int(1))])),
    ]),
    struct("DC", [
      struct("NamPlt", [
        leaf("vendor", VSTRING255, vstr("@mms"), true),
        leaf("swRev", VSTRING255, vstr("0.0.0")),
        leaf("d", VSTRING64, vstr("generic I/O")),
      ]),
    ]),
  ]);
  return [lln0, lphd1, ggio1];
}

/** A changed leaf: its item name and new value. */
export interface DemoChange {
  readonly item: string;
  readonly value: Data;
}

/**
 * Advances the live values at time `now` (ms) for tick number `tick`: analogue inputs follow
 * slow sine waves, one indication toggles per tick. Returns the changed leaves.
 */
export function tickDemoModel(lns: readonly ModelNode[], now: number, tick: number): DemoChange[] {
  const ggio = lns.find((n) => n.name === "GGIO1");
  if (!ggio) return [];
  const changes: DemoChange[] = [];
  const set = (path: string, value: Data): void => {
    const n = findNode(ggio, path.split("$"));
    if (n && isLeaf(n)) {
      n.value = value;
      changes.push({ item: path, value });
    }
  };
  for (let i = 1; i <= 4; i++) {
    const v = Math.round(1000 * (100 * i + 10 * Math.sin(now / 5000 + i))) / 1000;
    set(`GGIO1$MX$AnIn${i}$mag$f`, float32(v));
    set(`GGIO1$MX$AnIn${i}$t`, utc(now));
  }
  const ind = (tick % 4) + 1;
  const cur = findNode(ggio, ["GGIO1", "ST", `Ind${ind}`, "stVal"]);
  const old = cur && isLeaf(cur) && cur.value.type === "boolean" ? cur.value.value : false;
  set(`GGIO1$ST$Ind${ind}$stVal`, bool(!old));
  set(`GGIO1$ST$Ind${ind}$t`, utc(now));
  return changes;
}
