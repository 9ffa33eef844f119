import { FileErrorCode, type FileName } from "@mms/pdu";
import { MmsServiceFailure } from "../errors";

/** Longest file name (all components joined) we accept. */
export const MAX_FILE_NAME_LENGTH = 255;
/** Deepest directory nesting a name may express. */
export const MAX_FILE_NAME_DEPTH = 16;

const syntaxError = (why: string) =>
  new MmsServiceFailure("file", FileErrorCode.filenameSyntaxError, `file name ${why}`);

/**
 * Turns a peer's FileName (ISO 9506-2 Annex D: SEQUENCE OF GraphicString, joined with `/`) into
 * relative path segments inside the file store. Refuses (file/filename-syntax-error) what could
 * leave the store or confuse the file system: NUL and control characters, `\`, drive letters,
 * `..`, over-long or over-deep names. `.` and empty segments are dropped, so the empty name is
 * the store's root, and a leading `/` names it too: the store is the peer's whole file system
 * (IEDs list `/COMTRADE/…`; libiec61850 appends such names to its store path), never the host's.
 * Symbolic links are checked by the store (realpath).
 */
export function fileNameSegments(name: FileName): string[] {
  const joined = name.join("/");
  if (joined.length > MAX_FILE_NAME_LENGTH) throw syntaxError("too long");
  if (/[\u0000-\u001f\u007f\\]/.test(joined)) throw syntaxError("contains a control character or '\\'");
  if (/^[A-Za-z]:/.test(joined)) throw syntaxError("names a drive");
  const out: string[] = [];
  for (const seg of joined.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") throw syntaxError("contains '..'");
    out.push(seg);
  }
  if (out.length > MAX_FILE_NAME_DEPTH) throw syntaxError("is too deep");
  return out;
}

/** The name a listing reports for segments: `/`-joined, relative to the store root. */
export function segmentsText(segments: readonly string[]): string {
  return segments.join("/");
}
