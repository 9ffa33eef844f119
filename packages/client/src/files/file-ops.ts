import type { FileName } from "@mms/pdu";
import type { CallOptions, MmsClient } from "../client";
import { toFileName } from "./list-files";

/** FileDelete (ISO 9506-2 Annex D). */
export async function deleteFile(
  client: MmsClient,
  name: string | FileName,
  options?: CallOptions,
): Promise<void> {
  await client.request({ service: "fileDelete", fileName: toFileName(name) }, options);
}

/** FileRename (ISO 9506-2 Annex D); many servers do not offer it (reject unrecognized-service). */
export async function renameFile(
  client: MmsClient,
  from: string | FileName,
  to: string | FileName,
  options?: CallOptions,
): Promise<void> {
  await client.request(
    { service: "fileRename", currentFileName: toFileName(from), newFileName: toFileName(to) },
    options,
  );
}
