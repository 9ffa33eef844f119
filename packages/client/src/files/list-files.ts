import type { DirectoryEntry, FileName } from "@mms/pdu";
import type { CallOptions, MmsClient } from "../client";
import { MmsProtocolError } from "../errors";

export interface ListFilesOptions extends CallOptions {
  /** Most entries accepted over all pages (default 100 000): a server that sends more is refused. */
  readonly maxEntries?: number;
  /** Most FileDirectory requests (default 10 000). */
  readonly maxPages?: number;
}

/** A file name as text (`/`-joined components; IEC 61850 servers use one component). */
export const fileNameText = (name: FileName): string => name.join("/");

/** A text name (or components) as a FileName. */
export const toFileName = (name: string | FileName): FileName => (typeof name === "string" ? [name] : name);

/**
 * FileDirectory (ISO 9506-2 Annex D) with every page: follows moreFollows with continueAfter =
 * the last name received. Bounded: a page without progress, more than `maxEntries` entries or
 * `maxPages` pages throw `MmsProtocolError` (a malicious server cannot keep us looping).
 */
export async function listFiles(
  client: MmsClient,
  spec?: string | FileName,
  options: ListFilesOptions = {},
): Promise<DirectoryEntry[]> {
  const maxEntries = options.maxEntries ?? 100_000;
  const maxPages = options.maxPages ?? 10_000;
  const out: DirectoryEntry[] = [];
  let continueAfter: FileName | undefined;
  const fileSpecification = spec === undefined ? undefined : toFileName(spec);
  for (let page = 0; page < maxPages; page++) {
    const r = await client.request({ service: "fileDirectory", fileSpecification, continueAfter }, options);
    if (r.service !== "fileDirectory") throw new MmsProtocolError(`fileDirectory answered with ${r.service}`);
    if (out.length + r.entries.length > maxEntries) {
      throw new MmsProtocolError(`fileDirectory: more than ${maxEntries} entries`);
    }
    out.push(...r.entries);
    if (!r.moreFollows) return out;
    const last = r.entries[r.entries.length - 1];
    if (
      last === undefined ||
      (continueAfter && fileNameText(last.fileName) === fileNameText(continueAfter))
    ) {
      throw new MmsProtocolError("fileDirectory: moreFollows without progress");
    }
    continueAfter = last.fileName;
  }
  throw new MmsProtocolError(`fileDirectory: more than ${maxPages} pages`);
}
