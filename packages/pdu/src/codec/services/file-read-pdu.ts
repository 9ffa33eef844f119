import {
  BerWriter,
  ctx,
  ctxC,
  integerOctets,
  lengthOctets,
  UniversalTag,
  writeBoolean,
  writeInteger,
} from "@mms/asn1";
import type { ConfirmedServiceResponse } from "../../model/services";
import { checkUnsigned32, invalid } from "../common";

type FileReadResponse = Extract<ConfirmedServiceResponse, { service: "fileRead" }>;

/** confirmed-ResponsePDU [1] IMPLICIT SEQUENCE (ISO 9506-2 §7.1). */
const CONFIRMED_RESPONSE = ctxC(1);
/** ConfirmedServiceResponse fileRead [73] IMPLICIT FileRead-Response (ISO 9506-2 Annex D.4). */
const FILE_READ = ctxC(73);
/** FileRead-Response fileData [0] IMPLICIT OCTET STRING. */
const FILE_DATA = ctx(0);

/**
 * Content lengths of the FileRead-Response (`inner`) and of the confirmed-ResponsePDU (`outer`)
 * carrying `n` octets of file data.
 */
function contentLengths(invokeId: number, n: number, moreFollows: boolean): { inner: number; outer: number } {
  const inner = 1 + lengthOctets(n) + n + (moreFollows ? 0 : 3);
  // invokeID TLV, then the [73] TLV, whose tag takes two identifier octets.
  const outer = 2 + integerOctets(invokeId) + 2 + lengthOctets(inner) + inner;
  return { inner, outer };
}

/** Octets of a whole FileRead confirmed-ResponsePDU carrying `dataLength` octets of file data. */
export function fileReadResponsePduLength(
  invokeId: number,
  dataLength: number,
  moreFollows: boolean,
): number {
  const { outer } = contentLengths(invokeId, dataLength, moreFollows);
  return 1 + lengthOctets(outer) + outer;
}

/** Writes everything of the PDU before the file data (the lengths computed from its length). */
function writeHeader(w: BerWriter, invokeId: number, n: number, moreFollows: boolean): void {
  const id = checkUnsigned32(invokeId, "invokeID");
  const { inner, outer } = contentLengths(id, n, moreFollows);
  w.writeTag(CONFIRMED_RESPONSE);
  w.writeLength(outer);
  writeInteger(w, id, UniversalTag.INTEGER);
  w.writeTag(FILE_READ);
  w.writeLength(inner);
  w.writeTag(FILE_DATA);
  w.writeLength(n);
}

/**
 * Writes a FileRead confirmed-ResponsePDU (ISO 9506-2 §7.1, Annex D.4):
 *   a1 L { 02 L invokeID, bf 49 L { 80 L fileData, [81 01 00 when moreFollows is FALSE] } }
 * octet-identical to the generic encoder, but with every length computed up front from the data
 * length: the file data is copied once, never shifted when an enclosing length needs the long
 * form (the generic `begin`/`end` moves it once per such element).
 */
export function writeFileReadResponsePdu(w: BerWriter, invokeId: number, s: FileReadResponse): void {
  // One growth at most; the margin covers the writer's own reservations before short items.
  w.ensure(fileReadResponsePduLength(invokeId, s.fileData.length, s.moreFollows) + 8);
  writeHeader(w, invokeId, s.fileData.length, s.moreFollows);
  w.raw(s.fileData);
  // moreFollows [1] IMPLICIT BOOLEAN DEFAULT TRUE: absent when TRUE, as the generic encoder writes it.
  if (!s.moreFollows) writeBoolean(w, false, ctx(1));
}

/**
 * Octets a FileRead confirmed-ResponsePDU needs before its file data at most:
 * a1 84 LLLL, 02 05 invokeID, bf 49 84 LLLL, 80 84 LLLL.
 */
export const FILE_READ_HEADROOM = 6 + 7 + 7 + 6;
/** Octets it needs after its file data at most: moreFollows FALSE (81 01 00). */
export const FILE_READ_TAILROOM = 3;

/** File data placed by `fileReadData`: the room around it belongs to its one response. */
class RoomyFileData extends Uint8Array {}

/**
 * A view of `length` octets of `buffer` for FileRead data, with FILE_READ_HEADROOM octets of
 * room before it and at least FILE_READ_TAILROOM after: read the file into the view, trim it
 * with `subarray(0, n)` after a short read, and send it as the `fileData` of one FileRead
 * response. `encodeMmsPdu` then writes the PDU's header and trailer into that room and returns
 * a view of `buffer`: the data is not copied. The whole buffer must serve that one response only.
 */
export function fileReadData(buffer: ArrayBuffer, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0)
    invalid(`FileRead data length ${length} is not a non-negative integer`);
  if (FILE_READ_HEADROOM + length + FILE_READ_TAILROOM > buffer.byteLength)
    invalid(`a buffer of ${buffer.byteLength} octets has no room around ${length} octets of FileRead data`);
  return new RoomyFileData(buffer, FILE_READ_HEADROOM, length);
}

/**
 * The FileRead confirmed-ResponsePDU written around its data in the data's own buffer, when the
 * data comes from `fileReadData` and still starts where it placed it; undefined otherwise (the
 * caller then copies). Octet-identical to `writeFileReadResponsePdu`.
 */
export function encodeFileReadResponseInPlace(invokeId: number, s: FileReadResponse): Uint8Array | undefined {
  const d = s.fileData;
  if (!(d instanceof RoomyFileData) || d.byteOffset !== FILE_READ_HEADROOM) return undefined;
  const n = d.length;
  const tail = s.moreFollows ? 0 : 3;
  if (FILE_READ_HEADROOM + n + tail > d.buffer.byteLength) return undefined;
  const w = new BerWriter(32);
  writeHeader(w, invokeId, n, s.moreFollows);
  const head = w.pos;
  if (!s.moreFollows) writeBoolean(w, false, ctx(1));
  const out = new Uint8Array(d.buffer, FILE_READ_HEADROOM - head, head + n + tail);
  out.set(w.buf.subarray(0, head), 0);
  if (tail) out.set(w.buf.subarray(head, head + tail), head + n);
  return out;
}
