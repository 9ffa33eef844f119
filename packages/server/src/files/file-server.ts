import type { FileHandle } from "node:fs/promises";
import {
  type ConfirmedServiceRequest,
  type ConfirmedServiceResponse,
  FILE_READ_HEADROOM,
  FILE_READ_TAILROOM,
  FileErrorCode,
  type FileName,
  fileReadData,
  ServiceSupport,
} from "@mms/pdu";
import { MmsServiceFailure } from "../errors";
import type { ExtensionContext, ExtensionSession, ServiceExtension } from "../extension";
import type { PeerIdentity } from "../vmd/access";
import { FileStore, fileFailure } from "./file-store";
import { obtainFile } from "./obtain-file";

/** What a peer wants to do with a file (`path` is the name relative to the store root). */
export type FileOperation = "list" | "read" | "delete" | "rename" | "write";

/** Decides per association identity; the default lets everyone list and read, nothing else. */
export type FileAccessPolicy = (
  identity: PeerIdentity | undefined,
  operation: FileOperation,
  path: string,
) => boolean;

export interface FileServerOptions {
  /** The directory served; no name may lead out of it. */
  readonly root: string;
  /** Files (FRSMs) one association may hold open (default 8). */
  readonly maxOpenFiles?: number;
  /** Most entries in one FileDirectory page (default 256; pages are also cut to the PDU size). */
  readonly maxDirectoryPage?: number;
  /** FileRename is offered only when true (default false: unrecognized-service, as libiec61850). */
  readonly allowRename?: boolean;
  /** FileDelete is offered unless false (default true; the access policy still applies). */
  readonly allowDelete?: boolean;
  readonly access?: FileAccessPolicy;
  /** ObtainFile (the server fetches a file from the client) is offered unless false; it needs `write`. */
  readonly allowObtainFile?: boolean;
  /** Largest file ObtainFile accepts (default 256 MiB). */
  readonly maxObtainSize?: number;
}

/** Octets of a FileRead response that are not file data (PDU, invokeID, tags, lengths). */
const READ_OVERHEAD = 32;

const defaultAccess: FileAccessPolicy = (_identity, op) => op === "list" || op === "read";

interface Frsm {
  readonly handle: FileHandle;
  readonly size: number;
  position: number;
  /** Reads of one FRSM run one after the other (pipelined FileReads keep their order). */
  tail: Promise<unknown>;
  /**
   * The next chunks (contiguous from `position`), read while earlier ones travel: pipelined
   * FileReads find their data already read instead of waiting for one fs read each.
   */
  prefetch: Chunk[];
}

/** Chunks held read ahead of an FRSM's position at most (bounds the memory one FRSM holds). */
const PREFETCH_DEPTH = 6;
/**
 * Chunks read by one fs call (one preadv into one buffer per chunk), when the read-ahead runs
 * low: each fs call is a round trip through the thread pool, so a download makes one per
 * `PREFETCH_BATCH` FileReads instead of one per FileRead.
 */
const PREFETCH_BATCH = 4;

interface Chunk {
  readonly at: number;
  readonly want: number;
  readonly data: Promise<Uint8Array>;
}

/**
 * Reads up to `count` chunks of `chunk` octets from `at` with one fs call; each chunk's data is
 * only the octets read into it (a short read ends the data early), never stale memory. Each
 * chunk is read into a buffer of its own with room for its FileRead response PDU around it
 * (`fileReadData`), so the response is encoded around the data without copying it.
 */
function readBatch(f: Frsm, at: number, chunk: number, count: number): Chunk[] {
  const buffers: Uint8Array[] = [];
  let end = at;
  while (buffers.length < count && end < f.size) {
    const want = Math.min(chunk, f.size - end);
    const room = Buffer.allocUnsafeSlow(FILE_READ_HEADROOM + want + FILE_READ_TAILROOM);
    buffers.push(fileReadData(room.buffer as ArrayBuffer, want));
    end += want;
  }
  if (buffers.length === 0) return [{ at, want: 0, data: Promise.resolve(new Uint8Array(0)) }];
  const read = f.handle.readv(buffers, at).then((r) => r.bytesRead);
  let offset = 0;
  return buffers.map((buf) => {
    const start = offset;
    offset += buf.length;
    const data = read.then((n) => buf.subarray(0, Math.max(0, Math.min(buf.length, n - start))));
    data.catch(() => undefined); // awaited (and mapped) by the FileRead that takes it
    return { at: at + start, want: buf.length, data };
  });
}

/** Waits until nothing reads from the FRSM's handle any more. */
async function settle(f: Frsm): Promise<void> {
  await f.tail;
  await dropPrefetch(f);
}

/** Forgets the read-ahead chunks once their reads are over (nothing reads the handle after). */
async function dropPrefetch(f: Frsm): Promise<void> {
  const pending = f.prefetch;
  if (pending.length === 0) return;
  f.prefetch = [];
  await Promise.allSettled(pending.map((c) => c.data));
}

/** Reads the next batch after the last chunk read ahead once no more than a batch is left. */
function readAhead(f: Frsm, chunk: number): void {
  if (f.prefetch.length > PREFETCH_DEPTH - PREFETCH_BATCH) return;
  const last = f.prefetch[f.prefetch.length - 1];
  const at = last ? last.at + last.want : f.position;
  if (at < f.size) f.prefetch.push(...readBatch(f, at, chunk, PREFETCH_BATCH));
}

type Req<S> = Extract<ConfirmedServiceRequest, { service: S }>;

/**
 * The file services of ISO 9506-2 Annex D (FileOpen, FileRead, FileClose, FileDirectory,
 * FileDelete, optionally FileRename) over one directory, as a server extension
 * (`new MmsServer({ files: new FileServer({ root }) })`). Each association has its own FRSMs,
 * bounded, all closed when it ends; FileRead data is cut to the negotiated PDU size.
 */
export class FileServer implements ServiceExtension {
  readonly store: FileStore;
  readonly services: ReadonlySet<string>;
  readonly supportBits: readonly number[];
  private readonly maxOpen: number;
  private readonly maxPage: number;
  private readonly access: FileAccessPolicy;
  private readonly maxObtain: number;
  private open_ = 0;

  constructor(options: FileServerOptions) {
    this.store = new FileStore(options.root);
    this.maxOpen = options.maxOpenFiles ?? 8;
    this.maxPage = options.maxDirectoryPage ?? 256;
    this.access = options.access ?? defaultAccess;
    this.maxObtain = options.maxObtainSize ?? 256 * 1024 * 1024;
    const names = ["fileOpen", "fileRead", "fileClose", "fileDirectory"];
    const bits: number[] = [
      ServiceSupport.fileOpen,
      ServiceSupport.fileRead,
      ServiceSupport.fileClose,
      ServiceSupport.fileDirectory,
    ];
    if (options.allowDelete !== false) {
      names.push("fileDelete");
      bits.push(ServiceSupport.fileDelete);
    }
    if (options.allowObtainFile !== false) {
      names.push("obtainFile");
      bits.push(ServiceSupport.obtainFile);
    }
    if (options.allowRename === true) {
      names.push("fileRename");
      bits.push(ServiceSupport.fileRename);
    }
    this.services = new Set(names);
    this.supportBits = bits;
  }

  /** Files open over all associations right now (FRSMs plus opens in progress). */
  get openFileCount(): number {
    return this.open_;
  }

  open(context: ExtensionContext): ExtensionSession {
    const frsms = new Map<number, Frsm>();
    let nextId = 0; // FRSM ids from 0, as libiec61850 numbers them (V31b)
    let closed = false;
    const chunk = Math.max(1, context.maxPduSize - READ_OVERHEAD);
    const check = (op: FileOperation, name: FileName | string) => {
      const path = typeof name === "string" ? name : name.join("/");
      if (!this.access(context.identity, op, path)) {
        throw new MmsServiceFailure("file", FileErrorCode.fileAccessDenied, `${op} not allowed`);
      }
    };
    const release = async (h: FileHandle) => {
      try {
        await h.close();
      } finally {
        this.open_--;
      }
    };

    const fileOpen = async (q: Req<"fileOpen">): Promise<ConfirmedServiceResponse> => {
      if (frsms.size >= this.maxOpen) {
        throw new MmsServiceFailure("resource", 4, "too many open files"); // capability-unavailable
      }
      check("read", q.fileName);
      this.open_++;
      let f: Awaited<ReturnType<FileStore["openRead"]>>;
      try {
        f = await this.store.openRead(q.fileName);
      } catch (e) {
        this.open_--;
        throw e;
      }
      if (closed || frsms.size >= this.maxOpen) {
        await release(f.handle);
        throw new MmsServiceFailure("resource", 4, "too many open files");
      }
      // CVE class of peers.md §5: a position beyond the file never reads anything.
      if (q.initialPosition > f.size) {
        await release(f.handle);
        throw new MmsServiceFailure("file", FileErrorCode.positionInvalid, "initialPosition beyond the end");
      }
      let id = nextId;
      while (frsms.has(id)) id = id >= 0x7fff_ffff ? 0 : id + 1;
      nextId = id >= 0x7fff_ffff ? 0 : id + 1;
      frsms.set(id, {
        handle: f.handle,
        size: f.size,
        position: q.initialPosition,
        tail: Promise.resolve(),
        prefetch: [],
      });
      return { service: "fileOpen", frsmId: id, sizeOfFile: f.size, lastModified: f.mtime };
    };

    const fileRead = (q: Req<"fileRead">): Promise<ConfirmedServiceResponse> => {
      const f = frsms.get(q.frsmId);
      if (!f) throw new MmsServiceFailure("file", FileErrorCode.other, "no such FRSM");
      const run = f.tail.then(async (): Promise<ConfirmedServiceResponse> => {
        if (f.prefetch[0]?.at !== f.position) {
          await dropPrefetch(f); // first read, or a short read moved the position: read from there
          f.prefetch = readBatch(f, f.position, chunk, PREFETCH_BATCH);
        }
        const c = f.prefetch.shift()!;
        if (c.want === 0) return { service: "fileRead", fileData: new Uint8Array(0), moreFollows: false };
        let fileData: Uint8Array;
        try {
          fileData = await c.data;
        } catch (e) {
          throw fileFailure(e);
        }
        f.position += fileData.length;
        const moreFollows = fileData.length === c.want && f.position < f.size;
        if (moreFollows && !closed) readAhead(f, chunk);
        return { service: "fileRead", fileData, moreFollows };
      });
      f.tail = run.catch(() => undefined);
      return run;
    };

    const fileClose = async (q: Req<"fileClose">): Promise<ConfirmedServiceResponse> => {
      const f = frsms.get(q.frsmId);
      if (!f) throw new MmsServiceFailure("file", FileErrorCode.other, "no such FRSM");
      frsms.delete(q.frsmId);
      await settle(f);
      await release(f.handle);
      return { service: "fileClose" };
    };

    // Refused names and rights are security-relevant (DECISIONS.md "Security events").
    const refused = (e: unknown, service: string, name: FileName | undefined): never => {
      const se = e instanceof MmsServiceFailure ? e.serviceError : undefined;
      if (
        se?.errorClass === "file" &&
        (se.code === FileErrorCode.filenameSyntaxError || se.code === FileErrorCode.fileAccessDenied)
      ) {
        context.securityEvent?.("WRN_MMS_FILE_ACCESS_REFUSED", {
          association: context.associationId,
          identity: context.identity?.name,
          service,
          name: name?.join("/").slice(0, 300),
          reason:
            se.additionalDescription ?? (se.code === FileErrorCode.filenameSyntaxError ? "syntax" : "denied"),
        });
      }
      throw e;
    };
    const nameOf = (q: ConfirmedServiceRequest): FileName | undefined => {
      switch (q.service) {
        case "fileOpen":
        case "fileDelete":
          return q.fileName;
        case "fileDirectory":
          return q.fileSpecification;
        case "fileRename":
          return q.currentFileName;
        case "obtainFile":
          return q.destinationFile;
        default:
          return undefined;
      }
    };

    const dispatch = async (request: ConfirmedServiceRequest): Promise<ConfirmedServiceResponse> => {
      switch (request.service) {
        case "fileOpen":
          return fileOpen(request);
        case "fileRead":
          return fileRead(request);
        case "fileClose":
          return fileClose(request);
        case "fileDirectory": {
          check("list", request.fileSpecification ?? []);
          const page = await this.store.list(
            request.fileSpecification,
            request.continueAfter,
            this.maxPage,
            context.maxPduSize - 64,
          );
          return { service: "fileDirectory", ...page };
        }
        case "fileDelete":
          check("delete", request.fileName);
          await this.store.delete(request.fileName);
          return { service: "fileDelete" };
        case "obtainFile":
          check("write", request.destinationFile);
          return obtainFile(this.store, context, request, this.maxObtain);
        case "fileRename":
          check("rename", request.currentFileName);
          check("write", request.newFileName);
          await this.store.rename(request.currentFileName, request.newFileName);
          return { service: "fileRename" };
        default:
          throw new MmsServiceFailure("service", 0, `${request.service} is not a file service`);
      }
    };

    return {
      handle: (request) =>
        dispatch(request).catch((e: unknown) => refused(e, request.service, nameOf(request))),
      close: () => {
        closed = true;
        for (const f of frsms.values())
          void settle(f)
            .then(() => release(f.handle))
            .catch(() => undefined);
        frsms.clear();
      },
    };
  }
}
