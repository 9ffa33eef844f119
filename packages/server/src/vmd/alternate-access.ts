import type { AccessSelector, AlternateAccess, Data, TypeSpecification } from "@mms/pdu";

/** Result of applying an alternate access: the selected value and its type, or failure. */
export type Selected = { readonly data: Data; readonly type: TypeSpecification } | undefined;

/**
 * Applies an AlternateAccess to a value for reading (ISO 9506-2 §14.4.3): component selection
 * in structures, index / index range / all elements in arrays, nested selections. Several
 * elements make a structure of the selected parts. Undefined when the access does not fit the
 * type (the caller answers object-attribute-inconsistent).
 */
export function selectAlternate(data: Data, type: TypeSpecification, access: AlternateAccess): Selected {
  if (access.length === 1) {
    const e = access[0]!;
    return selectOne(
      data,
      type,
      e.selection.selector,
      e.selection.kind === "selectAlternateAccess" ? e.selection.alternateAccess : undefined,
    );
  }
  const parts: Data[] = [];
  const components: { name: string | undefined; type: TypeSpecification }[] = [];
  for (const e of access) {
    const s = selectOne(
      data,
      type,
      e.selection.selector,
      e.selection.kind === "selectAlternateAccess" ? e.selection.alternateAccess : undefined,
    );
    if (!s) return undefined;
    parts.push(s.data);
    components.push({ name: e.componentName, type: s.type });
  }
  return {
    data: { type: "structure", value: parts },
    type: { type: "structure", packed: false, components },
  };
}

function selectOne(
  data: Data,
  type: TypeSpecification,
  selector: AccessSelector,
  nested: AlternateAccess | undefined,
): Selected {
  let out: Selected;
  switch (selector.kind) {
    case "component": {
      if (type.type !== "structure" || data.type !== "structure") return undefined;
      const i = type.components.findIndex((c) => c.name === selector.component);
      if (i < 0) return undefined;
      out = { data: data.value[i]!, type: type.components[i]!.type };
      break;
    }
    case "index": {
      if (type.type !== "array" || data.type !== "array") return undefined;
      const v = data.value[selector.index];
      if (v === undefined) return undefined;
      out = { data: v, type: type.elementType };
      break;
    }
    case "indexRange": {
      if (type.type !== "array" || data.type !== "array") return undefined;
      const { lowIndex, numberOfElements } = selector;
      if (lowIndex < 0 || numberOfElements < 0 || lowIndex + numberOfElements > data.value.length)
        return undefined;
      out = {
        data: { type: "array", value: data.value.slice(lowIndex, lowIndex + numberOfElements) },
        type: { ...type, numberOfElements },
      };
      break;
    }
    case "allElements":
      if (type.type !== "array" || data.type !== "array") return undefined;
      out = { data, type };
      break;
  }
  if (!nested) return out;
  if (selector.kind === "indexRange" || selector.kind === "allElements") {
    // Apply the nested access to every element of the selected range.
    const t = out.type as Extract<TypeSpecification, { type: "array" }>;
    const items: Data[] = [];
    let elementType: TypeSpecification | undefined;
    for (const el of (out.data as { value: readonly Data[] }).value) {
      const s = selectAlternate(el, t.elementType, nested);
      if (!s) return undefined;
      items.push(s.data);
      elementType = s.type;
    }
    return {
      data: { type: "array", value: items },
      type: {
        type: "array",
        packed: false,
        numberOfElements: items.length,
        elementType: elementType ?? t.elementType,
      },
    };
  }
  return selectAlternate(out.data, out.type, nested);
}
