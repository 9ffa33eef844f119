import { realpathSync } from "node:fs";
import { type FileHandle, lstat, open, readdir, realpath, rename, stat, unlink } from "node:fs/promises";
import { join, sep } from "node:path";
import { type DirectoryEntry, FileErrorCode, type FileName } from "@mms/pdu";
import { MmsServiceFailure } from "../errors";
import { fileNameSegments, segmentsText } from "./file-path";

const MAX_UNSIGNED32 = 0xffff_ffff;

/** Maps a file-system error to the ISO 9506-2 file error class (§7.4, class file). */
export function fileFailure(e: unknown): MmsServiceFailure {
  if (e instanceof MmsServiceFailure) return e;
  const code = (e as { code?: unknown }).code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return new MmsServiceFailure("file", FileErrorCode.fileNonExistent);
    case "EACCES":
    case "EPERM":
    case "EISDIR":
    case "ELOOP":
      return new MmsServiceFailure("file", FileErrorCode.fileAccessDenied);
    case "EBUSY":
      return new MmsServiceFailure("file", FileErrorCode.fileBusy);
    case "EEXIST":
      return new MmsServiceFailure("file", FileErrorCode.duplicateFilename);
    case "ENOSPC":
      return new MmsServiceFailure("file", FileErrorCode.insufficientSpaceInFilestore);
    default:
      return new MmsServiceFailure("file", FileErrorCode.other);
  }
}

/** A path inside the store: the real path and the name a peer sees. */
export interface StorePath {
  readonly real: string;
  readonly name: string;
}

/**
 * A directory tree served over MMS. Every name goes through `fileNameSegments` (no `..`,
 * absolute names, NUL, over-long names) and then through realpath: a symbolic link that leads
 * out of the root is refused as file-access-denied. The node:fs adapter of the file services.
 */
export class FileStore {
  /** The root's real path. */
  readonly root: string;

  constructor(root: string) {
    this.root = realpathSync(root);
  }

  private inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root + sep);
  }

  /** Resolves an existing file or directory. */
  async resolve(name: FileName): Promise<StorePath> {
    const segments = fileNameSegments(name);
    let real: string;
    try {
      real = await realpath(join(this.root, ...segments));
    } catch (e) {
      throw fileFailure(e);
    }
    if (!this.inside(real))
      throw new MmsServiceFailure("file", FileErrorCode.fileAccessDenied, "outside the store");
    return { real, name: segmentsText(segments) };
  }

  /** Resolves a name that must not exist yet (its directory must, inside the store). */
  async resolveNew(name: FileName): Promise<StorePath> {
    const segments = fileNameSegments(name);
    const last = segments.pop();
    if (last === undefined)
      throw new MmsServiceFailure("file", FileErrorCode.filenameSyntaxError, "empty name");
    const dir = await this.resolve(segments);
    const real = join(dir.real, last);
    const exists = await lstat(real).then(
      () => true,
      () => false,
    );
    if (exists) throw new MmsServiceFailure("file", FileErrorCode.duplicateFilename);
    return { real, name: segmentsText([...segments, last]) };
  }

  /** Opens a regular file for reading; its size must fit Unsigned32 (FileAttributes). */
  async openRead(name: FileName): Promise<{ handle: FileHandle; size: number; mtime: Date; name: string }> {
    const p = await this.resolve(name);
    let handle: FileHandle;
    try {
      handle = await open(p.real, "r");
    } catch (e) {
      throw fileFailure(e);
    }
    try {
      const s = await handle.stat();
      if (!s.isFile()) throw new MmsServiceFailure("file", FileErrorCode.fileAccessDenied, "not a file");
      if (s.size > MAX_UNSIGNED32) throw new MmsServiceFailure("file", FileErrorCode.other, "file too large");
      return { handle, size: s.size, mtime: s.mtime, name: p.name };
    } catch (e) {
      await handle.close();
      throw fileFailure(e);
    }
  }

  /**
   * One page of a directory listing (ISO 9506-2 Annex D FileDirectory): names after
   * `continueAfter` in code-unit order, at most `maxEntries` and `budget` octets (each entry
   * costs its name plus 40 octets of attributes and framing). A file spec lists just that file.
   */
  async list(
    spec: FileName | undefined,
    continueAfter: FileName | undefined,
    maxEntries: number,
    budget: number,
  ): Promise<{ entries: DirectoryEntry[]; moreFollows: boolean }> {
    const dir = await this.resolve(spec ?? []);
    const s = await stat(dir.real).catch((e: unknown) => {
      throw fileFailure(e);
    });
    if (!s.isDirectory()) {
      return {
        entries: [{ fileName: [dir.name], sizeOfFile: clamp(s.size), lastModified: s.mtime }],
        moreFollows: false,
      };
    }
    const prefix = dir.name === "" ? "" : `${dir.name}/`;
    const names = (
      await readdir(dir.real).catch((e: unknown) => {
        throw fileFailure(e);
      })
    )
      .map((n) => prefix + n)
      .sort(compareCodeUnits);
    let i = 0;
    if (continueAfter !== undefined) {
      const after = continueAfter.join("/");
      let lo = 0;
      let hi = names.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareCodeUnits(names[mid]!, after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    const entries: DirectoryEntry[] = [];
    let left = budget;
    for (; i < names.length && entries.length < maxEntries; i++) {
      const name = names[i]!;
      const cost = Buffer.byteLength(name) + 40;
      if (cost > left && entries.length > 0) break;
      const e = await this.entry(join(this.root, name), name);
      if (!e) continue; // vanished, or a link out of the store: not listed
      left -= cost;
      entries.push(e);
    }
    return { entries, moreFollows: i < names.length };
  }

  private async entry(path: string, name: string): Promise<DirectoryEntry | undefined> {
    try {
      const l = await lstat(path);
      if (l.isSymbolicLink() && !this.inside(await realpath(path))) return undefined;
      const s = l.isSymbolicLink() ? await stat(path) : l;
      return { fileName: [name], sizeOfFile: s.isFile() ? clamp(s.size) : 0, lastModified: s.mtime };
    } catch {
      return undefined;
    }
  }

  /** Deletes a regular file. */
  async delete(name: FileName): Promise<void> {
    const p = await this.resolve(name);
    try {
      if (!(await stat(p.real)).isFile())
        throw new MmsServiceFailure("file", FileErrorCode.fileAccessDenied, "not a file");
      await unlink(p.real);
    } catch (e) {
      throw fileFailure(e);
    }
  }

  /** Renames a file inside the store; the new name must not exist. */
  async rename(from: FileName, to: FileName): Promise<void> {
    const a = await this.resolve(from);
    if (a.real === this.root) throw new MmsServiceFailure("file", FileErrorCode.fileAccessDenied);
    const b = await this.resolveNew(to);
    try {
      await rename(a.real, b.real);
    } catch (e) {
      throw fileFailure(e);
    }
  }
}

const clamp = (n: number): number => Math.min(n, MAX_UNSIGNED32);

/** Code-unit order (what `continueAfter` paging relies on: total and locale-free). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
