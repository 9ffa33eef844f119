import type { Data, TypeSpecification } from "@mms/pdu";
import { DataAccessError } from "@mms/pdu";
import { MmsModelError } from "../errors";
import type { AccessContext, AccessRights } from "./access";
import { conforms, defaultValue } from "./values";

/** Produces the current value of a variable when it is read (live data). Sync by design. */
export type ReadHook = (ctx: AccessContext) => Data;
/**
 * Called before a write is stored. Return nothing to accept (the value is stored), a
 * DataAccessError number to refuse this item, or `"handled"` to accept without storing.
 */
export type WriteHook = (value: Data, ctx: AccessContext) => number | "handled" | undefined;

interface Hooks {
  readonly access?: AccessRights | undefined;
  readonly onRead?: ReadHook | undefined;
  readonly onWrite?: WriteHook | undefined;
}

/** A simple (or array) variable: its type and initial value. */
export interface LeafDefinition extends Hooks {
  readonly type: TypeSpecification;
  readonly value?: Data | undefined;
}

/** A structured variable: named components in order (IEC 61850 LN / FC / DO / DA levels). */
export interface StructDefinition extends Hooks {
  readonly components:
    | Readonly<Record<string, VariableDefinition>>
    | ReadonlyArray<readonly [string, VariableDefinition]>;
}

export type VariableDefinition = LeafDefinition | StructDefinition;

/**
 * One node of a named variable: the variable itself or a component of it. Item names of
 * components are `$`-joined paths (`GGIO1$MX$AnIn1$mag$f`, IEC 61850-8-1 §8.1.3).
 */
export class VariableNode {
  readonly name: string;
  readonly path: string;
  readonly parent: VariableNode | undefined;
  readonly children: readonly VariableNode[] | undefined;
  private readonly index: Map<string, VariableNode> | undefined;
  readonly type: TypeSpecification;
  readonly access: AccessRights | undefined;
  readonly onRead: ReadHook | undefined;
  readonly onWrite: WriteHook | undefined;
  value: Data | undefined;

  constructor(name: string, def: VariableDefinition, parent: VariableNode | undefined) {
    if (!name || name.includes("$")) throw new MmsModelError(`invalid variable component name "${name}"`);
    this.name = name;
    this.parent = parent;
    this.path = parent ? `${parent.path}$${name}` : name;
    this.access = def.access;
    this.onRead = def.onRead;
    this.onWrite = def.onWrite;
    if ("components" in def) {
      const entries = Array.isArray(def.components)
        ? (def.components as ReadonlyArray<readonly [string, VariableDefinition]>)
        : Object.entries(def.components as Record<string, VariableDefinition>);
      const children: VariableNode[] = [];
      const index = new Map<string, VariableNode>();
      for (const [n, d] of entries) {
        if (index.has(n)) throw new MmsModelError(`duplicate component "${n}" in "${this.path}"`);
        const c = new VariableNode(n, d, this);
        children.push(c);
        index.set(n, c);
      }
      this.children = children;
      this.index = index;
      this.type = {
        type: "structure",
        packed: false,
        components: children.map((c) => ({ name: c.name, type: c.type })),
      };
    } else {
      if (def.type.type === "structure" || def.type.type === "typeName") {
        throw new MmsModelError(`"${this.path}": give structures as components, not as a type`);
      }
      this.type = def.type;
      const v = def.value ?? defaultValue(def.type);
      if (!conforms(v, def.type))
        throw new MmsModelError(`"${this.path}": initial value does not match its type`);
      this.value = v;
    }
  }

  child(name: string): VariableNode | undefined {
    return this.index?.get(name);
  }

  /** Effective rights: the nearest own setting up the tree. */
  rights(): AccessRights | undefined {
    for (let n: VariableNode | undefined = this; n; n = n.parent) if (n.access) return n.access;
    return undefined;
  }

  /** Current value (hooks first, structures assembled from components). */
  read(ctx: AccessContext): Data {
    if (this.onRead) return this.onRead(ctx);
    if (this.children) return { type: "structure", value: this.children.map((c) => c.read(ctx)) };
    return this.value!;
  }

  /**
   * Writes a value after checking its type against the whole subtree. Returns undefined on
   * success or a DataAccessError.
   */
  write(value: Data, ctx: AccessContext): number | undefined {
    if (!conforms(value, this.type)) return DataAccessError.typeInconsistent;
    return this.apply(value, ctx);
  }

  private apply(value: Data, ctx: AccessContext): number | undefined {
    if (this.onWrite) {
      const r = this.onWrite(value, ctx);
      if (r === "handled") return undefined;
      if (typeof r === "number") return r;
    }
    if (this.children) {
      const items = (value as { value: readonly Data[] }).value;
      for (let i = 0; i < this.children.length; i++) {
        const r = this.children[i]!.apply(items[i]!, ctx);
        if (r !== undefined) return r;
      }
      return undefined;
    }
    this.value = normalise(value, this.type);
    return undefined;
  }

  /** Sets the stored value from the application (no access check, type checked). */
  set(value: Data): void {
    if (!conforms(value, this.type)) throw new MmsModelError(`"${this.path}": value does not match its type`);
    if (this.children) {
      const items = (value as { value: readonly Data[] }).value;
      for (let i = 0; i < this.children.length; i++) this.children[i]!.set(items[i]!);
    } else this.value = normalise(value, this.type);
  }

  /** This node's path and those of all its components, depth first. */
  collectNames(out: string[]): void {
    out.push(this.path);
    if (this.children) for (const c of this.children) c.collectNames(out);
  }
}

/** A float written with another width is stored with the declared width. */
function normalise(value: Data, type: TypeSpecification): Data {
  if (value.type === "floatingPoint" && type.type === "floatingPoint") {
    const width = type.formatWidth > 32 ? 64 : 32;
    if (value.width !== width) return { type: "floatingPoint", value: value.value, width };
  }
  return value;
}
