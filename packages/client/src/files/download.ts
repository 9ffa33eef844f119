import type { ConfirmedServiceResponse, FileName } from "@mms/pdu";
import type { CallOptions, MmsClient } from "../client";
import { MmsProtocolError } from "../errors";
import { toFileName } from "./list-files";

export interface DownloadOptions extends CallOptions {
  /** Start reading at this octet (FileOpen initialPosition, default 0). */
  readonly initialPosition?: number;
  /** Most octets accepted (default: sizeOfFile + 64 MiB, for files that grow while read). */
  readonly maxBytes?: number;
  /**
   * FileRead requests kept in flight (default 1). More hides the round trip on fast links; the
   * server must answer reads of one FRSM in order (ours and libiec61850 do) and answers past the
   * end are dropped. Bounded by the negotiated maxServOutstandingCalling.
   */
  readonly readAhead?: number;
  /** Called once the file is open, with its attributes. */
  readonly onOpen?: (file: { readonly sizeOfFile: number; readonly lastModified: Date | undefined }) => void;
}

/** FileRead responses without data (and with moreFollows) tolerated in a row. */
const MAX_EMPTY_READS = 16;

/**
 * Downloads a file as an async iterable of chunks: FileOpen, FileRead until moreFollows is
 * false, FileClose (ISO 9506-2 Annex D). The FRSM is always closed: at the end, on an error, on
 * abort (`signal`) and when the consumer stops iterating early. Chunks are views of the received
 * PDUs, never reused: keeping them is safe.
 */
export async function* downloadFile(
  client: MmsClient,
  name: string | FileName,
  options: DownloadOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const open = await client.request(
    { service: "fileOpen", fileName: toFileName(name), initialPosition: options.initialPosition ?? 0 },
    options,
  );
  if (open.service !== "fileOpen") throw new MmsProtocolError(`fileOpen answered with ${open.service}`);
  const frsmId = open.frsmId;
  const maxBytes = options.maxBytes ?? open.sizeOfFile + 64 * 1024 * 1024;
  let closed = false;
  const inFlight: Promise<ConfirmedServiceResponse>[] = [];
  try {
    options.onOpen?.({ sizeOfFile: open.sizeOfFile, lastModified: open.lastModified });
    let total = 0;
    let empty = 0;
    const depth = Math.max(1, Math.min(options.readAhead ?? 1, client.negotiated.maxServOutstandingCalling));
    const issue = () => {
      const p = client.request({ service: "fileRead", frsmId }, options);
      p.catch(() => undefined); // reads past the end may fail: only awaited ones count
      inFlight.push(p);
    };
    for (;;) {
      while (inFlight.length < depth) issue();
      const r = await inFlight.shift()!;
      if (r.service !== "fileRead") throw new MmsProtocolError(`fileRead answered with ${r.service}`);
      total += r.fileData.length;
      if (total > maxBytes) throw new MmsProtocolError(`fileRead: more than ${maxBytes} octets`);
      if (r.fileData.length === 0 && r.moreFollows && ++empty > MAX_EMPTY_READS) {
        throw new MmsProtocolError("fileRead: moreFollows without data");
      }
      if (r.fileData.length > 0) {
        empty = 0;
        yield r.fileData;
      }
      if (!r.moreFollows) break;
    }
    // Reads sent past the end: wait for their (ignored) answers before FileClose.
    await Promise.allSettled(inFlight);
    inFlight.length = 0;
    closed = true;
    await client.request({ service: "fileClose", frsmId }, { timeoutMs: options.timeoutMs ?? 10_000 });
  } finally {
    if (!closed) {
      // Error, abort or early return: release the server's FRSM (not with the aborted signal).
      await Promise.allSettled(inFlight);
      await client
        .request({ service: "fileClose", frsmId }, { timeoutMs: options.timeoutMs ?? 10_000 })
        .catch(() => undefined);
    }
  }
}

/** Downloads a whole file into memory (bounded by `maxBytes`). */
export async function readFile(
  client: MmsClient,
  name: string | FileName,
  options: DownloadOptions = {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let n = 0;
  for await (const c of downloadFile(client, name, options)) {
    chunks.push(c);
    n += c.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** The download as a web ReadableStream (cancelling it closes the FRSM). */
export function downloadStream(
  client: MmsClient,
  name: string | FileName,
  options: DownloadOptions = {},
): ReadableStream<Uint8Array> {
  const it = downloadFile(client, name, options);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await it.next();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}
