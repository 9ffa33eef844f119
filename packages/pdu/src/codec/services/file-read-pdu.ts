import { type BerWriter, ctx, ctxC, UniversalTag, writeBoolean, writeInteger } from "@mms/asn1";
import type { ConfirmedServiceResponse } from "../../model/services";
import { checkUnsigned32 } from "../common";

type FileReadResponse = Extract<ConfirmedServiceResponse, { service: "fileRead" }>;

/** confirmed-ResponsePDU [1] IMPLICIT SEQUENCE (ISO 9506-2 §7.1). */
const CONFIRMED_RESPONSE = ctxC(1);
/** ConfirmedServiceResponse fileRead [73] IMPLICIT FileRead-Response (ISO 9506-2 Annex D.4). */
const FILE_READ = ctxC(73);
/** FileRead-Response fileData [0] IMPLICIT OCTET STRING. */
const FILE_DATA = ctx(0);

/** Octets of a minimal definite length (X.690 §8.1.3.3, §8.1.3.5). */
function lengthOctets(len: number): number {
  return len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : len < 0x1000000 ? 4 : 5;
}

/** Octets of the INTEGER content of an Unsigned32 (two's complement, minimal: X.690 §8.3.2). */
function unsignedOctets(v: number): number {
  return v < 0x80 ? 1 : v < 0x8000 ? 2 : v < 0x800000 ? 3 : v < 0x80000000 ? 4 : 5;
}

/** Octets of a whole FileRead confirmed-ResponsePDU carrying `dataLength` octets of file data. */
export function fileReadResponsePduLength(
  invokeId: number,
  dataLength: number,
  moreFollows: boolean,
): number {
  const inner = 1 + lengthOctets(dataLength) + dataLength + (moreFollows ? 0 : 3);
  const service = 2 + lengthOctets(inner) + inner; // tag [73] takes two identifier octets
  const outer = 2 + unsignedOctets(invokeId) + service;
  return 1 + lengthOctets(outer) + outer;
}

/**
 * Writes a FileRead confirmed-ResponsePDU (ISO 9506-2 §7.1, Annex D.4):
 *   a1 L { 02 L invokeID, bf 49 L { 80 L fileData, [81 01 00 when moreFollows is FALSE] } }
 * octet-identical to the generic encoder, but with every length computed up front from the data
 * length: the file data is copied once, never shifted when an enclosing length needs the long
 * form (the generic `begin`/`end` moves it once per such element).
 */
export function writeFileReadResponsePdu(w: BerWriter, invokeId: number, s: FileReadResponse): void {
  const id = checkUnsigned32(invokeId, "invokeID");
  const n = s.fileData.length;
  const inner = 1 + lengthOctets(n) + n + (s.moreFollows ? 0 : 3);
  const outer = 2 + unsignedOctets(id) + 2 + lengthOctets(inner) + inner;
  // One growth at most; the margin covers the writer's own reservations before short items.
  w.ensure(1 + lengthOctets(outer) + outer + 8);
  w.writeTag(CONFIRMED_RESPONSE);
  w.writeLength(outer);
  writeInteger(w, id, UniversalTag.INTEGER);
  w.writeTag(FILE_READ);
  w.writeLength(inner);
  w.writeTag(FILE_DATA);
  w.writeLength(n);
  w.raw(s.fileData);
  // moreFollows [1] IMPLICIT BOOLEAN DEFAULT TRUE: absent when TRUE, as the generic encoder writes it.
  if (!s.moreFollows) writeBoolean(w, false, ctx(1));
}
