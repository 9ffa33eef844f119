/**
 * ISO 9506-2 §7.5.1 `ObjectName`. `itemId`/`domainId` are MMS Identifiers. Names are values:
 * never use them as plain object keys (use `Map`), `__proto__` is a valid item name.
 */
export type ObjectName =
  | { readonly scope: "vmd"; readonly itemId: string }
  | { readonly scope: "domain"; readonly domainId: string; readonly itemId: string }
  | { readonly scope: "aa"; readonly itemId: string };

/** ISO 9506-2 §14.4.4 `Address`. */
export type Address =
  | { readonly kind: "numeric"; readonly value: number }
  | { readonly kind: "symbolic"; readonly value: string }
  | { readonly kind: "unconstrained"; readonly value: Uint8Array };

/** ISO 9506-2 `ApplicationReference` (AP-title form 2 and AE-qualifier form 2 only). */
export interface ApplicationReference {
  /** AP-title form 2 (OBJECT IDENTIFIER, dotted). */
  readonly apTitle: string | undefined;
  readonly apInvocationId: number | undefined;
  /** AE-qualifier form 2 (INTEGER). */
  readonly aeQualifier: number | undefined;
  readonly aeInvocationId: number | undefined;
}

/** ISO 9506-2 `FileName`: SEQUENCE OF GraphicString; IEC 61850 uses one component. */
export type FileName = readonly string[];
