/**
 * IEC 61850-8-1 §8.1.3 mapping of object references onto MMS names. An IEC 61850 reference
 * `LD/LN.DO.DA` with a functional constraint `FC` is the MMS domain-specific name
 * `{ domainId: "LD", itemId: "LN$FC$DO$DA" }`; a data set `LD/LN.DS` is `{ LD, "LN$DS" }`.
 */

/** An MMS domain-specific name as used by IEC 61850. */
export interface Iec61850MmsName {
  readonly domainId: string;
  readonly itemId: string;
}

/** An IEC 61850 reference split into its parts. */
export interface Iec61850Reference {
  /** Logical device (the MMS domain). */
  readonly ld: string;
  /** Logical node, e.g. `GGIO1`, `LLN0`. */
  readonly ln: string;
  /** Functional constraint (`MX`, `ST`, `CO`, `DC`, ...); undefined for a whole LN or a data set. */
  readonly fc: string | undefined;
  /** Data object / attribute path below the LN, e.g. `["AnIn1", "mag", "f"]`. */
  readonly path: readonly string[];
  /** The dotted form `LD/LN.DO.DA` (without FC). */
  readonly reference: string;
}

/** Error for references that cannot be mapped (stable `code`). */
export class Iec61850NameError extends Error {
  override readonly name = "Iec61850NameError";
  readonly code = "invalid-reference";
}

const FC = /^[A-Z]{2}$/;

/**
 * Maps `LD/LN.DO.DA` (and an FC when the reference names data) to the MMS name.
 * `toMmsName("simpleIOGenericIO/GGIO1.AnIn1.mag.f", "MX")` →
 * `{ domainId: "simpleIOGenericIO", itemId: "GGIO1$MX$AnIn1$mag$f" }`.
 */
export function toMmsName(reference: string, fc?: string): Iec61850MmsName {
  const slash = reference.indexOf("/");
  if (slash <= 0 || slash === reference.length - 1) {
    throw new Iec61850NameError(`"${reference}" is not LD/LN[.DO[.DA]]`);
  }
  const domainId = reference.slice(0, slash);
  const parts = reference.slice(slash + 1).split(".");
  if (parts.some((p) => p.length === 0 || p.includes("$"))) {
    throw new Iec61850NameError(`"${reference}" has an empty or invalid component`);
  }
  const [ln, ...rest] = parts as [string, ...string[]];
  if (fc === undefined) return { domainId, itemId: [ln, ...rest].join("$") };
  if (!FC.test(fc)) throw new Iec61850NameError(`"${fc}" is not a functional constraint`);
  return { domainId, itemId: [ln, fc, ...rest].join("$") };
}

/**
 * Maps an MMS domain and item name back to the IEC 61850 reference and FC.
 * `fromMmsName("LD", "GGIO1$MX$AnIn1$mag$f")` → `{ ld: "LD", ln: "GGIO1", fc: "MX",
 * path: ["AnIn1","mag","f"], reference: "LD/GGIO1.AnIn1.mag.f" }`. An item with a second
 * component that is not two capitals (a data set `LLN0$Events`) has no FC.
 */
export function fromMmsName(domainId: string, itemId: string): Iec61850Reference {
  const parts = itemId.split("$");
  const ln = parts[0] ?? "";
  if (!domainId || !ln) throw new Iec61850NameError(`"${domainId}/${itemId}" is not an IEC 61850 name`);
  const second = parts[1];
  const hasFc = second !== undefined && FC.test(second);
  const fc = hasFc ? second : undefined;
  const path = parts.slice(hasFc ? 2 : 1);
  return {
    ld: domainId,
    ln,
    fc,
    path,
    reference: `${domainId}/${[ln, ...path].join(".")}`,
  };
}

/** Parses the CLI / display form `DOMAIN/ITEM` (`LD/GGIO1$MX$AnIn1$mag$f`) into an MMS name. */
export function parseDomainItem(text: string): Iec61850MmsName {
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) {
    throw new Iec61850NameError(`"${text}" is not DOMAIN/ITEM`);
  }
  return { domainId: text.slice(0, slash), itemId: text.slice(slash + 1) };
}

/** Formats an MMS domain name as `DOMAIN/ITEM`. */
export function formatDomainItem(name: Iec61850MmsName): string {
  return `${name.domainId}/${name.itemId}`;
}
