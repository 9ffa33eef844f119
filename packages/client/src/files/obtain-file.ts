import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { type ConfirmedServiceResponse, FileErrorCode, type FileName, type ServiceError } from "@mms/pdu";
import type { CallOptions, MmsClient } from "../client";
import { MmsServiceError } from "../errors";
import type { IncomingRequestHandler } from "../incoming";
import { fileNameText, toFileName } from "./list-files";

export interface PutFileOptions extends CallOptions {
  /** The name the server asks us for (ObtainFile sourceFile); default the local file's base name. */
  readonly sourceName?: string;
  /** Octets the server has read so far (for progress displays). */
  readonly onProgress?: (sent: number, size: number) => void;
}

/** Octets of a FileRead response that are not file data. */
const READ_OVERHEAD = 32;

const fileError = (code: number, text: string): MmsServiceError => {
  const e: ServiceError = {
    errorClass: "file",
    code,
    additionalCode: undefined,
    additionalDescription: text,
    serviceSpecificInformation: undefined,
  };
  return new MmsServiceError("file", e);
};

/**
 * Uploads a local file with ObtainFile (ISO 9506-2 Annex D): we ask the server to fetch
 * `sourceName` from us and store it as `destination`; while the request runs the client answers
 * the server's FileOpen/FileRead/FileClose for exactly that one file (any other name is
 * file-non-existent). One ObtainFile at a time per client. Every local handle is closed when the
 * request settles.
 */
export async function putFile(
  client: MmsClient,
  localPath: string,
  destination: string | FileName,
  options: PutFileOptions = {},
): Promise<void> {
  const source = options.sourceName ?? basename(localPath);
  const chunk = Math.max(1, (client.negotiated.localDetail ?? 65000) - READ_OVERHEAD);
  const handles = new Map<number, { h: FileHandle; size: number; pos: number }>();
  let nextId = 0;
  const handler: IncomingRequestHandler = async (q): Promise<ConfirmedServiceResponse> => {
    switch (q.service) {
      case "fileOpen": {
        if (fileNameText(q.fileName) !== source)
          throw fileError(FileErrorCode.fileNonExistent, "not offered");
        if (handles.size >= 4) throw fileError(FileErrorCode.fileBusy, "too many opens");
        const h = await open(localPath, "r").catch(() => {
          throw fileError(FileErrorCode.fileAccessDenied, "cannot open");
        });
        const st = await h.stat();
        const size = st.size;
        if (size > 0xffff_ffff || q.initialPosition > size) {
          await h.close();
          throw fileError(FileErrorCode.positionInvalid, "position or size out of range");
        }
        const id = nextId++;
        handles.set(id, { h, size, pos: q.initialPosition });
        return { service: "fileOpen", frsmId: id, sizeOfFile: size, lastModified: st.mtime };
      }
      case "fileRead": {
        const f = handles.get(q.frsmId);
        if (!f) throw fileError(FileErrorCode.other, "no such FRSM");
        const want = Math.min(chunk, f.size - f.pos);
        const buf = Buffer.allocUnsafe(Math.max(0, want));
        const got = want > 0 ? (await f.h.read(buf, 0, want, f.pos)).bytesRead : 0;
        f.pos += got;
        options.onProgress?.(f.pos, f.size);
        return {
          service: "fileRead",
          fileData: buf.subarray(0, got),
          moreFollows: got === want && f.pos < f.size,
        };
      }
      case "fileClose": {
        const f = handles.get(q.frsmId);
        if (!f) throw fileError(FileErrorCode.other, "no such FRSM");
        handles.delete(q.frsmId);
        await f.h.close();
        return { service: "fileClose" };
      }
      default:
        throw fileError(FileErrorCode.other, `${q.service} is not offered`);
    }
  };
  client.setRequestHandler(handler);
  try {
    await client.request(
      {
        service: "obtainFile",
        sourceFileServer: undefined,
        sourceFile: [source],
        destinationFile: toFileName(destination),
      },
      // The server reads the whole file before it answers: no default timeout.
      { timeoutMs: options.timeoutMs ?? 0, ...(options.signal ? { signal: options.signal } : {}) },
    );
  } finally {
    client.setRequestHandler(undefined);
    for (const f of handles.values()) await f.h.close().catch(() => undefined);
    handles.clear();
  }
}
