import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type ConfirmedServiceRequest, type ConfirmedServiceResponse, FileErrorCode } from "@mms/pdu";
import { MmsServiceFailure } from "../errors";
import type { ExtensionContext } from "../extension";
import { type FileStore, fileFailure } from "./file-store";

type Req<S> = Extract<ConfirmedServiceRequest, { service: S }>;

/** FileRead responses without data (with moreFollows) tolerated in a row from the peer. */
const MAX_EMPTY_READS = 16;

/**
 * ObtainFile (ISO 9506-2 Annex D): the server fetches `sourceFile` from the requesting client on
 * the same association (it sends FileOpen / FileRead... / FileClose) and stores it as
 * `destinationFile`. The data goes to a temporary file renamed into place at the end: a failed
 * transfer leaves nothing behind. Third-party transfers (sourceFileServer) are not offered.
 */
export async function obtainFile(
  store: FileStore,
  context: ExtensionContext,
  q: Req<"obtainFile">,
  maxSize: number,
): Promise<ConfirmedServiceResponse> {
  const requestPeer = context.requestPeer;
  if (!requestPeer) throw new MmsServiceFailure("service", 0, "cannot send requests on this association");
  if (q.sourceFileServer !== undefined) {
    throw new MmsServiceFailure("file", FileErrorCode.other, "third-party ObtainFile is not supported");
  }
  const dest = await store.resolveNew(q.destinationFile);
  const opened = await requestPeer({ service: "fileOpen", fileName: q.sourceFile, initialPosition: 0 });
  if (opened.service !== "fileOpen")
    throw new MmsServiceFailure("file", FileErrorCode.other, "bad FileOpen answer");
  const frsmId = opened.frsmId;
  const tmp = join(dirname(dest.real), `.${basename(dest.real)}.obtain-${randomBytes(6).toString("hex")}`);
  let peerOpen = true;
  let done = false;
  const out = await open(tmp, "wx").catch((e: unknown) => {
    throw fileFailure(e);
  });
  try {
    if (opened.sizeOfFile > maxSize) {
      throw new MmsServiceFailure("file", FileErrorCode.insufficientSpaceInFilestore, "file too large");
    }
    let total = 0;
    let empty = 0;
    for (;;) {
      const r = await requestPeer({ service: "fileRead", frsmId });
      if (r.service !== "fileRead")
        throw new MmsServiceFailure("file", FileErrorCode.other, "bad FileRead answer");
      total += r.fileData.length;
      if (total > maxSize) {
        throw new MmsServiceFailure("file", FileErrorCode.insufficientSpaceInFilestore, "file too large");
      }
      if (r.fileData.length > 0) {
        empty = 0;
        await out.write(r.fileData);
      } else if (r.moreFollows && ++empty > MAX_EMPTY_READS) {
        throw new MmsServiceFailure("file", FileErrorCode.other, "the peer sends no data");
      }
      if (!r.moreFollows) break;
    }
    peerOpen = false;
    await requestPeer({ service: "fileClose", frsmId });
    await out.close();
    // The destination must still be free (ISO 9506-2: duplicate-filename otherwise).
    await store.resolveNew(q.destinationFile);
    await rename(tmp, dest.real);
    done = true;
    return { service: "obtainFile" };
  } finally {
    if (peerOpen) await requestPeer({ service: "fileClose", frsmId }).catch(() => undefined);
    if (!done) {
      await out.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    }
  }
}
