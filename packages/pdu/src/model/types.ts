import type { ObjectName } from "./names";
import type { Address } from "./names";

/** ISO 9506-2 §14.4.3 `AccessSelector` (the choice inside an AlternateAccessSelection). */
export type AccessSelector =
  | { readonly kind: "component"; readonly component: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "indexRange"; readonly lowIndex: number; readonly numberOfElements: number }
  | { readonly kind: "allElements" };

/** ISO 9506-2 §14.4.3 `AlternateAccessSelection`. */
export type AlternateAccessSelection =
  | { readonly kind: "selectAccess"; readonly selector: AccessSelector }
  | {
      readonly kind: "selectAlternateAccess";
      readonly selector: AccessSelector;
      readonly alternateAccess: AlternateAccess;
    };

/** One element of an `AlternateAccess`: unnamed (componentName undefined) or named. */
export interface AlternateAccessElement {
  readonly componentName: string | undefined;
  readonly selection: AlternateAccessSelection;
}

/** ISO 9506-2 §14.4.3 `AlternateAccess` ::= SEQUENCE OF CHOICE { unnamed, named [5] }. */
export type AlternateAccess = readonly AlternateAccessElement[];

/** ISO 9506-2 §14.3 `TypeSpecification` (TypeDescription alternatives plus typeName). */
export type TypeSpecification =
  | { readonly type: "typeName"; readonly name: ObjectName }
  | {
      readonly type: "array";
      readonly packed: boolean;
      readonly numberOfElements: number;
      readonly elementType: TypeSpecification;
    }
  | { readonly type: "structure"; readonly packed: boolean; readonly components: readonly TypeComponent[] }
  | { readonly type: "boolean" }
  /** Negative size: variable length of at most |size| bits. */
  | { readonly type: "bitString"; readonly size: number }
  | { readonly type: "integer"; readonly bits: number }
  | { readonly type: "unsigned"; readonly bits: number }
  | { readonly type: "floatingPoint"; readonly formatWidth: number; readonly exponentWidth: number }
  | { readonly type: "octetString"; readonly size: number }
  | { readonly type: "visibleString"; readonly size: number }
  | { readonly type: "generalizedTime" }
  | { readonly type: "binaryTime"; readonly withDate: boolean }
  | { readonly type: "bcd"; readonly digits: number }
  | { readonly type: "objectId" }
  | { readonly type: "mmsString"; readonly size: number }
  | { readonly type: "utcTime" };

export interface TypeComponent {
  readonly name: string | undefined;
  readonly type: TypeSpecification;
}

/** ISO 9506-2 §14.4.5 `VariableSpecification`. */
export type VariableSpecification =
  | { readonly kind: "name"; readonly name: ObjectName }
  | { readonly kind: "address"; readonly address: Address }
  | {
      readonly kind: "variableDescription";
      readonly address: Address;
      readonly typeSpecification: TypeSpecification;
    }
  /** Scattered access descriptions are kept as their encoded content (rarely used). */
  | { readonly kind: "scatteredAccessDescription"; readonly content: Uint8Array }
  | { readonly kind: "invalidated" };

/** One entry of a listOfVariable. */
export interface VariableListItem {
  readonly variable: VariableSpecification;
  readonly alternateAccess: AlternateAccess | undefined;
}

/** ISO 9506-2 §14.4.6 `VariableAccessSpecification`. */
export type VariableAccessSpecification =
  | { readonly kind: "listOfVariable"; readonly list: readonly VariableListItem[] }
  | { readonly kind: "variableListName"; readonly name: ObjectName };
