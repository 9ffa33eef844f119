import {
  type AccessResult,
  AccessErrorCode,
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  type Data,
  DataAccessError,
  type ObjectName,
  ObjectClass,
  type VariableAccessSpecification,
  type VariableListItem,
  type WriteResult,
} from "@mms/pdu";
import { MmsServiceFailure } from "./errors";
import type { AccessContext } from "./vmd/access";
import { selectAlternate } from "./vmd/alternate-access";
import { compareNames, type NamedVariableList, type Vmd } from "./vmd/vmd";

/** Per-association state the services need. */
export interface AssociationState extends AccessContext {
  /** Association-specific named variable lists (ISO 9506-1 §11: they die with the association). */
  readonly aaLists: Map<string, NamedVariableList>;
}

export interface ServiceLimits {
  /** Negotiated largest MMS PDU: GetNameList pages are cut to fit it. */
  readonly maxPduSize: number;
  /** Most association-specific lists one association may define. */
  readonly maxAaLists: number;
  /** Most entries in one named variable list. */
  readonly maxListEntries: number;
  /** Most client-defined domain/VMD lists in total. */
  readonly maxDefinedLists: number;
}

const OK: WriteResult = Object.freeze({ success: true, error: undefined });
const fail = (error: number): AccessResult => ({ success: false, error });
const wfail = (error: number): WriteResult => ({ success: false, error });

/** ISO 9506-2 §11: a list needs a name to define. */
const DEFINITION = { objectUndefined: 1, objectExists: 5 } as const;
/** ServiceError resource class, capability-unavailable (ISO 9506-2 §7.4 ServiceError; 4 in mms.asn). */
const RESOURCE_CAPABILITY_UNAVAILABLE = 4;

/**
 * The VMD services of ISO 9506-2 as a confirmed-request handler for one association: Identify,
 * Status, GetNameList, Read, Write, GetVariableAccessAttributes, Define / GetAttributes /
 * Delete NamedVariableList. Variable-level problems are AccessResults, not errors.
 */
export function vmdServices(vmd: Vmd, state: AssociationState, limits: ServiceLimits) {
  const resolveList = (name: ObjectName): NamedVariableList | undefined => {
    if (name.scope === "aa") return state.aaLists.get(name.itemId);
    if (name.scope === "vmd") return vmd.lists.get(name.itemId);
    return vmd.domains.get(name.domainId)?.lists.get(name.itemId);
  };

  const readItem = (item: VariableListItem): AccessResult => {
    if (item.variable.kind !== "name") return fail(DataAccessError.objectAccessUnsupported);
    const node = vmd.findVariable(item.variable.name);
    if (!node) return fail(DataAccessError.objectNonExistent);
    if (!vmd.canRead(node, state)) return fail(DataAccessError.objectAccessDenied);
    const data = node.read(state);
    if (!item.alternateAccess) return { success: true, data };
    const s = selectAlternate(data, node.type, item.alternateAccess);
    return s ? { success: true, data: s.data } : fail(DataAccessError.objectAttributeInconsistent);
  };

  const itemsOf = (spec: VariableAccessSpecification): readonly VariableListItem[] => {
    if (spec.kind === "listOfVariable") return spec.list;
    const list = resolveList(spec.name);
    if (!list)
      throw new MmsServiceFailure("access", AccessErrorCode.objectNonExistent, "no such variable list");
    return list.entries.map((e) => ({
      variable: { kind: "name", name: e.name },
      alternateAccess: undefined,
    }));
  };

  const writeItem = (item: VariableListItem, value: Data): WriteResult => {
    if (item.variable.kind !== "name") return wfail(DataAccessError.objectAccessUnsupported);
    if (item.alternateAccess) return wfail(DataAccessError.objectAccessUnsupported);
    const node = vmd.findVariable(item.variable.name);
    if (!node) return wfail(DataAccessError.objectNonExistent);
    if (!vmd.canWrite(node, state)) return wfail(DataAccessError.objectAccessDenied);
    const r = node.write(value, state);
    return r === undefined ? OK : wfail(r);
  };

  const nameList = (all: readonly string[], continueAfter: string | undefined) => {
    let start = 0;
    if (continueAfter !== undefined) {
      // First name after continueAfter (binary search in the sorted list).
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareNames(all[mid]!, continueAfter) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    // Fit the page in the PDU: each name costs its length plus a tag and up to 3 length octets.
    let budget = limits.maxPduSize - 32;
    const out: string[] = [];
    let i = start;
    for (; i < all.length; i++) {
      const cost = all[i]!.length + 4;
      if (cost > budget && out.length > 0) break;
      budget -= cost;
      out.push(all[i]!);
    }
    return { identifiers: out, moreFollows: i < all.length };
  };

  const getNameList = (
    req: Extract<ConfirmedServiceRequest, { service: "getNameList" }>,
  ): ConfirmedServiceResponse => {
    let names: readonly string[] = [];
    const scope = req.scope;
    const domainOf = (id: string) => {
      const d = vmd.domains.get(id);
      if (!d) throw new MmsServiceFailure("access", AccessErrorCode.objectNonExistent, `no domain "${id}"`);
      return d;
    };
    switch (req.objectClass) {
      case ObjectClass.namedVariable:
        if (scope.kind === "vmd") names = vmd.vmdVariableNames();
        else if (scope.kind === "domain") names = domainOf(scope.domainId).variableNames();
        break;
      case ObjectClass.namedVariableList: {
        const map =
          scope.kind === "vmd"
            ? vmd.lists
            : scope.kind === "domain"
              ? domainOf(scope.domainId).lists
              : state.aaLists;
        names = [...map.keys()].sort(compareNames);
        break;
      }
      case ObjectClass.domain:
        if (scope.kind === "vmd") names = [...vmd.domains.keys()].sort(compareNames);
        break;
      default:
        break; // classes we do not model (journals, semaphores, ...) have no objects
    }
    return { service: "getNameList", ...nameList(names, req.continueAfter) };
  };

  const defineList = (req: Extract<ConfirmedServiceRequest, { service: "defineNamedVariableList" }>) => {
    const name = req.variableListName;
    if (req.listOfVariable.length === 0 || req.listOfVariable.length > limits.maxListEntries) {
      throw new MmsServiceFailure("resource", 0, "list size out of bounds");
    }
    let map: Map<string, NamedVariableList>;
    if (name.scope === "aa") {
      map = state.aaLists;
      if (map.size >= limits.maxAaLists && !map.has(name.itemId)) {
        throw new MmsServiceFailure(
          "resource",
          RESOURCE_CAPABILITY_UNAVAILABLE,
          "too many association-specific lists",
        );
      }
    } else if (name.scope === "vmd") map = vmd.lists;
    else {
      const d = vmd.domains.get(name.domainId);
      if (!d)
        throw new MmsServiceFailure("definition", DEFINITION.objectUndefined, `no domain "${name.domainId}"`);
      map = d.lists;
    }
    if (map.has(name.itemId)) throw new MmsServiceFailure("definition", DEFINITION.objectExists);
    if (name.scope !== "aa" && countDefined(vmd) >= limits.maxDefinedLists) {
      throw new MmsServiceFailure("resource", RESOURCE_CAPABILITY_UNAVAILABLE, "too many defined lists");
    }
    const entries = req.listOfVariable.map((item) => {
      if (item.variable.kind !== "name" || !vmd.findVariable(item.variable.name)) {
        throw new MmsServiceFailure("definition", DEFINITION.objectUndefined, "list member does not exist");
      }
      return { name: item.variable.name };
    });
    map.set(name.itemId, { name, entries, deletable: true });
    return { service: "defineNamedVariableList" } as const;
  };

  const deleteLists = (req: Extract<ConfirmedServiceRequest, { service: "deleteNamedVariableList" }>) => {
    let matched = 0;
    let deleted = 0;
    const sweep = (map: Map<string, NamedVariableList>, keys: Iterable<string>) => {
      for (const k of [...keys]) {
        const l = map.get(k);
        if (!l) continue;
        matched++;
        if (l.deletable) {
          map.delete(k);
          deleted++;
        }
      }
    };
    switch (req.scopeOfDelete) {
      case 0:
        for (const n of req.listOfVariableListName ?? []) {
          const map =
            n.scope === "aa"
              ? state.aaLists
              : n.scope === "vmd"
                ? vmd.lists
                : vmd.domains.get(n.domainId)?.lists;
          if (map) sweep(map, [n.itemId]);
        }
        break;
      case 1:
        sweep(state.aaLists, state.aaLists.keys());
        break;
      case 2: {
        const d = req.domainName === undefined ? undefined : vmd.domains.get(req.domainName);
        if (d) sweep(d.lists, d.lists.keys());
        break;
      }
      case 3:
        sweep(vmd.lists, vmd.lists.keys());
        break;
    }
    return { service: "deleteNamedVariableList", numberMatched: matched, numberDeleted: deleted } as const;
  };

  return (request: ConfirmedServiceRequest): ConfirmedServiceResponse => {
    switch (request.service) {
      case "identify":
        return { service: "identify", ...vmd.identity, abstractSyntaxes: undefined };
      case "status":
        return {
          service: "status",
          logicalStatus: vmd.logicalStatus,
          physicalStatus: vmd.physicalStatus,
          localDetail: undefined,
        };
      case "getNameList":
        return getNameList(request);
      case "read": {
        const spec = request.variableAccessSpecification;
        const results = itemsOf(spec).map(readItem);
        return {
          service: "read",
          variableAccessSpecification: request.specificationWithResult ? spec : undefined,
          results,
        };
      }
      case "write": {
        const items = itemsOf(request.variableAccessSpecification);
        if (items.length !== request.listOfData.length) {
          throw new MmsServiceFailure("service", 5, "listOfData does not match the variables"); // object-constraint-conflict
        }
        return { service: "write", results: items.map((it, i) => writeItem(it, request.listOfData[i]!)) };
      }
      case "getVariableAccessAttributes": {
        if (!request.name) throw new MmsServiceFailure("access", AccessErrorCode.objectAccessUnsupported);
        const node = vmd.findVariable(request.name);
        if (!node) throw new MmsServiceFailure("access", AccessErrorCode.objectNonExistent);
        if (!vmd.canRead(node, state))
          throw new MmsServiceFailure("access", AccessErrorCode.objectAccessDenied);
        return {
          service: "getVariableAccessAttributes",
          mmsDeletable: false,
          address: undefined,
          typeSpecification: node.type,
        };
      }
      case "defineNamedVariableList":
        return defineList(request);
      case "getNamedVariableListAttributes": {
        const list = resolveList(request.variableListName);
        if (!list) throw new MmsServiceFailure("access", AccessErrorCode.objectNonExistent);
        return {
          service: "getNamedVariableListAttributes",
          mmsDeletable: list.deletable,
          listOfVariable: list.entries.map((e) => ({
            variable: { kind: "name", name: e.name },
            alternateAccess: undefined,
          })),
        };
      }
      case "deleteNamedVariableList":
        return deleteLists(request);
      default:
        // Not offered (the responder rejects these as unrecognized before they get here).
        throw new MmsServiceFailure("service", 0, `${request.service} is not supported`);
    }
  };
}

/** The services `vmdServices` answers (others are rejected as unrecognized, ISO 9506-2 §7.3). */
export const VMD_SERVICES: ReadonlySet<string> = new Set([
  "identify",
  "status",
  "getNameList",
  "read",
  "write",
  "getVariableAccessAttributes",
  "defineNamedVariableList",
  "getNamedVariableListAttributes",
  "deleteNamedVariableList",
]);

function countDefined(vmd: Vmd): number {
  let n = 0;
  for (const l of vmd.lists.values()) if (l.deletable) n++;
  for (const d of vmd.domains.values()) for (const l of d.lists.values()) if (l.deletable) n++;
  return n;
}
