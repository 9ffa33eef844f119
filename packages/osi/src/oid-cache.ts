import { type BerWriter, type Oid, oidContent, type Tag, UniversalTag, writeOid } from "@mms/asn1";

/**
 * Content octets of the OIDs every association sends (computed once, never written to), so
 * that encoding them does not re-parse the dotted form each time.
 */
const KNOWN: ReadonlyMap<Oid, Uint8Array> = new Map(
  [
    "2.2.1.0.1", // ACSE abstract syntax
    "1.0.9506.2.1", // MMS abstract syntax
    "2.1.1", // BER
    "1.0.9506.2.3", // MMS application context
    "2.2.3.1", // password mechanism
    "1.0.840.0.1.0.1.1", // IEC 62351-4 certificate mechanism
    "1.2.840.0.1.0.1.1",
    "1.1.1.999", // libiec61850 default AP-titles
    "1.1.1.999.1",
  ].map((o) => [o, oidContent(o)] as const),
);

/** Writes an OBJECT IDENTIFIER, using the precomputed content for the well-known ones. */
export function writeKnownOid(w: BerWriter, oid: Oid, tag: Tag = UniversalTag.OBJECT_IDENTIFIER): void {
  const c = KNOWN.get(oid);
  if (c) w.primitive(tag, c);
  else writeOid(w, oid, tag);
}
