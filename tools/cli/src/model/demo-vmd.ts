import type { Data } from "@mms/pdu";
import { type AccessContext, type VariableDefinition, Vmd } from "@mms/server";
import { DEMO_DATA_SETS, DEMO_DOMAIN, type DemoChange, demoLogicalNodes, tickDemoModel } from "./demo-model";
import { isLeaf, type ModelNode, utc } from "./model-builder";
import { ReportControlBlock, type ReportToSend, URCB_ATTRIBUTES, URCB_TYPES } from "./report-control";

/** The demo device as an @mms/server VMD, with live values and one report control block. */
export interface DemoDevice {
  readonly vmd: Vmd;
  /** Report control blocks (`LLN0$RP$EventsRCB01`, `LLN0$RP$MeasurementsRCB01`). */
  readonly rcbs: readonly ReportControlBlock[];
  /** Advances the live values; returns the reports to send. */
  tick(now: number): ReportToSend[];
  /** Reports produced by client writes (GI) since the last call. */
  takeReports(): ReportToSend[];
  /** An association ended: free its report control blocks. */
  released(associationId: number): void;
  /** Tells the device which associations are still open (frees blocks of ended ones on demand). */
  setLiveCheck(isLive: (associationId: number) => boolean): void;
  /**
   * Calls `listener` with every status change (`GGIO1$ST$Ind<n>$stVal` on each tick,
   * `GGIO1$ST$SPCSO<n>$stVal` on each operate), e.g. to log them in a journal.
   */
  onStatusChange(listener: StatusListener): void;
}

/** Status changes at one instant (items relative to the domain). */
export type StatusListener = (time: number, changes: readonly DemoChange[]) => void;

const isStatus = (item: string): boolean => item.includes("$ST$") && item.endsWith("$stVal");

/** Write hooks by item path (direct control of `GGIO1$CO$SPCSOn$Oper`). */
type WriteHooks = ReadonlyMap<string, (value: Data, ctx: AccessContext) => number | "handled" | undefined>;

function toDefinition(n: ModelNode, path: string, hooks: WriteHooks): VariableDefinition {
  if (isLeaf(n)) {
    return n.writable
      ? { type: n.type, value: n.value, access: { read: "any", write: "any" } }
      : { type: n.type, value: n.value };
  }
  const hook = hooks.get(path);
  return {
    components: n.children.map((c) => [c.name, toDefinition(c, `${path}$${c.name}`, hooks)] as const),
    ...(hook ? { access: { read: "any", write: "any" }, onWrite: hook } : {}),
  };
}

/** Builds the demo VMD at time `now` (ms). */
export function createDemoDevice(now: number): DemoDevice {
  const vmd = new Vmd({ vendorName: "@mms", modelName: "mms serve demo (basic io)", revision: "1.0" });
  const domain = vmd.domain(DEMO_DOMAIN);
  const lns = demoLogicalNodes(now);
  const pending: ReportToSend[] = [];
  let isLive: (associationId: number) => boolean = () => true;
  const statusListeners: StatusListener[] = [];
  const statusChanged = (time: number, changes: readonly DemoChange[]): void => {
    const status = changes.filter((c) => isStatus(c.item));
    if (status.length === 0) return;
    for (const l of statusListeners) l(time, status);
  };
  const readItem = (item: string): Data =>
    vmd.getValue({ scope: "domain", domainId: DEMO_DOMAIN, itemId: item });
  const rcbs = [
    new ReportControlBlock(
      DEMO_DOMAIN,
      "LLN0$RP$EventsRCB01",
      "LLN0$Events",
      (DEMO_DATA_SETS.find((d) => d.name === "LLN0$Events")?.members ?? []).map((item) => ({
        item,
        read: () => readItem(item),
      })),
      "Events",
    ),
    new ReportControlBlock(
      DEMO_DOMAIN,
      "LLN0$RP$MeasurementsRCB01",
      "LLN0$Measurements",
      (DEMO_DATA_SETS.find((d) => d.name === "LLN0$Measurements")?.members ?? []).map((item) => ({
        item,
        read: () => readItem(item),
      })),
      "Measurements",
    ),
  ];
  const rcbDefinition = (rcb: ReportControlBlock): VariableDefinition => ({
    components: URCB_ATTRIBUTES.map(
      (attr) =>
        [
          attr,
          {
            type: URCB_TYPES[attr],
            value: rcb.read(attr),
            access: { read: "any", write: "any" },
            onRead: () => rcb.read(attr),
            onWrite: (value: Data, ctx: AccessContext) => {
              // A block still owned by an association that has ended is free (IEC 61850-7-2 §17.2.2).
              if (rcb.owner !== undefined && rcb.owner !== ctx.associationId && !isLive(rcb.owner)) {
                rcb.release(rcb.owner);
              }
              const r = rcb.writeAttribute(attr, value, ctx.associationId, Date.now());
              if (typeof r === "number") return r;
              pending.push(...r);
              return "handled";
            },
          } satisfies VariableDefinition,
        ] as const,
    ),
  });
  // IEC 61850-7-2 direct control with normal security (ctlModel 1): writing Oper sets stVal.
  const hooks = new Map<string, (value: Data, ctx: AccessContext) => number | "handled" | undefined>();
  for (const i of [1, 2, 3, 4]) {
    hooks.set(`GGIO1$CO$SPCSO${i}$Oper`, (value) => {
      const ctlVal = value.type === "structure" ? value.value[0] : undefined;
      if (ctlVal?.type !== "boolean") return 7; // type-inconsistent
      const now = Date.now();
      const st = `GGIO1$ST$SPCSO${i}`;
      vmd.setValue({ scope: "domain", domainId: DEMO_DOMAIN, itemId: `${st}$stVal` }, ctlVal);
      vmd.setValue({ scope: "domain", domainId: DEMO_DOMAIN, itemId: `${st}$t` }, utc(now));
      pending.push(...rcbs.flatMap((r) => r.changed(new Set([`${st}$stVal`]), now)));
      statusChanged(now, [{ item: `${st}$stVal`, value: ctlVal }]);
      return "handled";
    });
  }
  for (const ln of lns) {
    if (ln.name === "LLN0" && !isLeaf(ln)) {
      const rp: VariableDefinition = {
        components: rcbs.map((r) => [r.name.split("$")[2] ?? r.name, rcbDefinition(r)] as const),
      };
      domain.defineVariable("LLN0", {
        components: [
          ...ln.children.map((c) => [c.name, toDefinition(c, `LLN0$${c.name}`, hooks)] as const),
          ["RP", rp] as const,
        ],
      });
    } else domain.defineVariable(ln.name, toDefinition(ln, ln.name, hooks));
  }
  for (const ds of DEMO_DATA_SETS) {
    vmd.defineVariableList({ scope: "domain", domainId: DEMO_DOMAIN, itemId: ds.name }, ds.members);
  }
  let tickNo = 0;
  return {
    vmd,
    rcbs,
    tick(t: number): ReportToSend[] {
      const changes: DemoChange[] = tickDemoModel(lns, t, tickNo++);
      for (const c of changes)
        vmd.setValue({ scope: "domain", domainId: DEMO_DOMAIN, itemId: c.item }, c.value);
      const items = new Set(changes.map((c) => c.item));
      statusChanged(t, changes);
      return [...pending.splice(0), ...rcbs.flatMap((r) => [...r.changed(items, t), ...r.integrity(t)])];
    },
    takeReports: () => pending.splice(0),
    released(associationId: number): void {
      for (const r of rcbs) r.release(associationId);
    },
    setLiveCheck(check: (associationId: number) => boolean): void {
      isLive = check;
    },
    onStatusChange(listener: StatusListener): void {
      statusListeners.push(listener);
    },
  };
}
