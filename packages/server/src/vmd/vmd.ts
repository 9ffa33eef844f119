import type { Data, ObjectName, TypeSpecification } from "@mms/pdu";
import { MmsModelError } from "../errors";
import { type AccessContext, type AccessRights, DEFAULT_ACCESS, matches } from "./access";
import { type VariableDefinition, VariableNode } from "./variable";

/** One entry of a named variable list: a variable (or component) name and optional alternate access. */
export interface VariableListEntry {
  readonly name: ObjectName;
}

/** ISO 9506-2 §11 named variable list. */
export interface NamedVariableList {
  readonly name: ObjectName;
  readonly entries: readonly VariableListEntry[];
  /** Can a client delete it (true for lists clients defined). */
  readonly deletable: boolean;
}

/** Identification and status the VMD reports (Identify, Status). */
export interface VmdIdentity {
  readonly vendorName: string;
  readonly modelName: string;
  readonly revision: string;
}

export interface VmdOptions extends Partial<VmdIdentity> {
  /** Rights of variables that set none. Default: read any, write none. */
  readonly defaultAccess?: AccessRights;
}

/** ISO 9506-1 domain: a named set of variables and variable lists (an IEC 61850 logical device). */
export class Domain {
  readonly name: string;
  readonly variables = new Map<string, VariableNode>();
  readonly lists = new Map<string, NamedVariableList>();
  private sortedNames: string[] | undefined;
  /** Resolved `A$B$C` paths (bounded; cleared when variables change). */
  private readonly resolved = new Map<string, VariableNode | undefined>();

  /** Finds a variable or component by item name. */
  find(itemId: string): VariableNode | undefined {
    const hit = this.resolved.get(itemId);
    if (hit !== undefined) return hit;
    const node = resolvePath(this.variables, itemId);
    if (node && this.resolved.size < 65536) this.resolved.set(itemId, node);
    return node;
  }

  constructor(name: string) {
    this.name = name;
  }

  /** Adds a named variable (an IEC 61850 logical node is one structured variable). */
  defineVariable(name: string, def: VariableDefinition): VariableNode {
    if (this.variables.has(name)) throw new MmsModelError(`variable "${this.name}/${name}" exists`);
    const node = new VariableNode(name, def, undefined);
    this.variables.set(name, node);
    this.sortedNames = undefined;
    this.resolved.clear();
    return node;
  }

  /** Every variable and component name, sorted (GetNameList order). Cached. */
  variableNames(): readonly string[] {
    if (!this.sortedNames) {
      const out: string[] = [];
      for (const v of this.variables.values()) v.collectNames(out);
      this.sortedNames = out.sort(compareNames);
    }
    return this.sortedNames;
  }
}

/** Code-unit order (what `continueAfter` compares against). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Resolves `A$B$C` in a map of top-level variables. */
export function resolvePath(
  variables: ReadonlyMap<string, VariableNode>,
  item: string,
): VariableNode | undefined {
  const parts = item.split("$");
  let node = variables.get(parts[0]!);
  for (let i = 1; node && i < parts.length; i++) node = node.child(parts[i]!);
  return node;
}

/**
 * The Virtual Manufacturing Device (ISO 9506-1 §5): VMD-specific variables and lists, domains
 * with theirs, identity and status. Association-specific lists live with each association.
 */
export class Vmd {
  readonly identity: VmdIdentity;
  readonly domains = new Map<string, Domain>();
  readonly variables = new Map<string, VariableNode>();
  readonly lists = new Map<string, NamedVariableList>();
  readonly defaultAccess: Required<AccessRights>;
  private sortedVmdNames: string[] | undefined;
  /** ISO 9506-2 Status: logicalStatus (0 state-changes-allowed) and physicalStatus (0 operational). */
  logicalStatus = 0;
  physicalStatus = 0;

  constructor(options: VmdOptions = {}) {
    this.identity = {
      vendorName: options.vendorName ?? "@mms",
      modelName: options.modelName ?? "@mms/server",
      revision: options.revision ?? "0.1",
    };
    this.defaultAccess = { ...DEFAULT_ACCESS, ...options.defaultAccess };
  }

  /** Adds (or returns) a domain. */
  domain(name: string): Domain {
    let d = this.domains.get(name);
    if (!d) {
      if (!name) throw new MmsModelError("empty domain name");
      d = new Domain(name);
      this.domains.set(name, d);
    }
    return d;
  }

  /** Adds a VMD-specific named variable. */
  defineVariable(name: string, def: VariableDefinition): VariableNode {
    if (this.variables.has(name)) throw new MmsModelError(`variable "${name}" exists`);
    const node = new VariableNode(name, def, undefined);
    this.variables.set(name, node);
    this.sortedVmdNames = undefined;
    return node;
  }

  vmdVariableNames(): readonly string[] {
    if (!this.sortedVmdNames) {
      const out: string[] = [];
      for (const v of this.variables.values()) v.collectNames(out);
      this.sortedVmdNames = out.sort(compareNames);
    }
    return this.sortedVmdNames;
  }

  /** Adds a VMD- or domain-specific named variable list (not deletable by clients by default). */
  defineVariableList(
    name: ObjectName,
    entries: readonly (ObjectName | string)[],
    deletable = false,
  ): NamedVariableList {
    if (name.scope === "aa") throw new MmsModelError("association-specific lists are defined by clients");
    const list: NamedVariableList = {
      name,
      entries: entries.map((e) => ({ name: typeof e === "string" ? this.parseName(name, e) : e })),
      deletable,
    };
    for (const e of list.entries) {
      if (!this.findVariable(e.name))
        throw new MmsModelError(`list ${nameText(name)}: no variable ${nameText(e.name)}`);
    }
    const map = name.scope === "vmd" ? this.lists : this.requireDomain(name.domainId).lists;
    if (map.has(name.itemId)) throw new MmsModelError(`list ${nameText(name)} exists`);
    map.set(name.itemId, list);
    return list;
  }

  /** Finds a variable or component by MMS name (undefined for aa-specific names). */
  findVariable(name: ObjectName): VariableNode | undefined {
    if (name.scope === "vmd") return resolvePath(this.variables, name.itemId);
    if (name.scope === "domain") {
      return this.domains.get(name.domainId)?.find(name.itemId);
    }
    return undefined;
  }

  /** The current value of a variable (no access check), for the application. */
  getValue(name: ObjectName | string, ctx: AccessContext = APP_CONTEXT): Data {
    return this.requireVariable(name).read(ctx);
  }

  /** Sets a variable's stored value from the application (type-checked, no access check). */
  setValue(name: ObjectName | string, value: Data): void {
    this.requireVariable(name).set(value);
  }

  /** The type of a variable. */
  typeOf(name: ObjectName | string): TypeSpecification {
    return this.requireVariable(name).type;
  }

  canRead(node: VariableNode, ctx: AccessContext): boolean {
    return matches(node.rights()?.read ?? this.defaultAccess.read, ctx.identity);
  }

  canWrite(node: VariableNode, ctx: AccessContext): boolean {
    return matches(node.rights()?.write ?? this.defaultAccess.write, ctx.identity);
  }

  private requireVariable(name: ObjectName | string): VariableNode {
    const n = typeof name === "string" ? parseObjectName(name) : name;
    const node = this.findVariable(n);
    if (!node) throw new MmsModelError(`no variable ${nameText(n)}`);
    return node;
  }

  private requireDomain(name: string): Domain {
    const d = this.domains.get(name);
    if (!d) throw new MmsModelError(`no domain "${name}"`);
    return d;
  }

  /** Entries written as `ITEM` are in the list's domain; `DOMAIN/ITEM` elsewhere. */
  private parseName(list: ObjectName, text: string): ObjectName {
    if (text.includes("/")) return parseObjectName(text);
    return list.scope === "domain"
      ? { scope: "domain", domainId: list.domainId, itemId: text }
      : { scope: "vmd", itemId: text };
  }
}

const APP_CONTEXT: AccessContext = Object.freeze({ associationId: 0, identity: undefined });

/** `DOMAIN/ITEM` → domain-specific name; `ITEM` → VMD-specific; `@ITEM` → association-specific. */
export function parseObjectName(text: string): ObjectName {
  const slash = text.indexOf("/");
  if (slash > 0) return { scope: "domain", domainId: text.slice(0, slash), itemId: text.slice(slash + 1) };
  if (text.startsWith("@")) return { scope: "aa", itemId: text.slice(1) };
  return { scope: "vmd", itemId: text };
}

/** Display form of an ObjectName (inverse of `parseObjectName`). */
export function nameText(name: ObjectName): string {
  return name.scope === "domain"
    ? `${name.domainId}/${name.itemId}`
    : name.scope === "aa"
      ? `@${name.itemId}`
      : name.itemId;
}
