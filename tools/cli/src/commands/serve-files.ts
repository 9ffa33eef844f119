import { stat } from "node:fs/promises";
import type { Data, JournalVariable } from "@mms/pdu";
import {
  type FileAccessPolicy,
  type FileOperation,
  FileServer,
  JournalServer,
  type JournalStore,
  MemoryJournalStore,
  type PeerIdentity,
  SqliteJournalStore,
  type StoredJournalEntry,
} from "@mms/server";
import { CliError, ExitCode } from "../exit-codes";
import { DEMO_DOMAIN, DEMO_LOG } from "../model/demo-model";
import { entryId, entryTime } from "../model/model-builder";
import type { DemoDevice } from "../model/demo-vmd";
import type { ServeSettings } from "./serve";

/** The journal the demo device feeds (IEC 61850 log `LLN0$EventLog`, as server_example_logging). */
export const DEMO_JOURNAL = `${DEMO_DOMAIN}/${DEMO_LOG}`;

/** ReasonCode (7 bits) with data-change (bit 1) set (IEC 61850-7-2 trigger conditions; the bit libiec61850 sets for a data change). */
const REASON_DATA_CHANGE: Data = { type: "bitString", value: { bytes: Uint8Array.of(0x40), bitLength: 7 } };

type FileSettings = Pick<
  ServeSettings,
  "filesRoot" | "allowRename" | "insecurePlainFileWrite" | "insecurePasswordWithoutTls"
>;

/**
 * Rights of `mms serve --files`: everyone lists and reads; delete, ObtainFile (write) and rename
 * (with --allow-rename) need an authenticated identity of the TLS port (IEC 62351-4 certificate,
 * TLS identity, or the password when it is accepted on TLS only). With
 * --insecure-password-without-tls a password identity may come from the plain port, so it gets no
 * write rights. --insecure-plain-file-write gives everyone every right.
 */
export function serveFileAccess(s: FileSettings): FileAccessPolicy {
  const trusted = (id: PeerIdentity | undefined): boolean =>
    id !== undefined &&
    (id.mechanism === "certificate" ||
      id.mechanism === "tls" ||
      (id.mechanism === "password" && !s.insecurePasswordWithoutTls));
  return (identity: PeerIdentity | undefined, op: FileOperation): boolean => {
    if (op === "list" || op === "read") return true;
    return s.insecurePlainFileWrite || trusted(identity);
  };
}

export interface ServeExtensions {
  readonly files: FileServer | undefined;
  readonly journals: JournalServer;
  readonly store: JournalStore;
  /** Banner lines describing files and journal. */
  readonly banner: readonly string[];
  /** Feeds the demo device's status changes into the demo journal (and its log control block). */
  attach(device: DemoDevice): Promise<void>;
  close(): void;
}

/** The file server (`--files`) and the journal store (`--journal-db`, else in memory) of `mms serve`. */
export async function serveExtensions(settings: ServeSettings, demo: boolean): Promise<ServeExtensions> {
  let files: FileServer | undefined;
  const banner: string[] = [];
  if (settings.filesRoot !== undefined) {
    const root = settings.filesRoot;
    const st = await stat(root).catch(() => undefined);
    if (!st?.isDirectory()) throw new CliError(ExitCode.file, "file", `--files ${root} is not a directory`);
    files = new FileServer({ root, allowRename: settings.allowRename, access: serveFileAccess(settings) });
    const write = settings.insecurePlainFileWrite
      ? "write/delete/ObtainFile: EVERYONE, plain port included (--insecure-plain-file-write)"
      : "write/delete/ObtainFile: authenticated TLS identities; plain port read-only";
    banner.push(
      `files  ${root}  list/read: everyone; ${write}; rename ${settings.allowRename ? "on" : "off (--allow-rename)"}`,
    );
  }
  let store: JournalStore;
  let closeStore = (): void => undefined;
  if (settings.journalDb !== undefined) {
    let sqlite: SqliteJournalStore;
    try {
      sqlite = await SqliteJournalStore.open(settings.journalDb);
    } catch (e) {
      throw new CliError(
        ExitCode.file,
        "file",
        `--journal-db ${settings.journalDb}: ${(e as Error).message}`,
      );
    }
    store = sqlite;
    closeStore = () => sqlite.close();
  } else store = new MemoryJournalStore();
  if (demo) await store.create(DEMO_JOURNAL);
  const where =
    settings.journalDb !== undefined ? `SQLite ${settings.journalDb} (kept across restarts)` : "in memory";
  banner.push(
    demo
      ? `journal ${DEMO_JOURNAL}  ${where}; each Ind/SPCSO status change is logged; ReadJournal for everyone`
      : `journal ${where}; ReadJournal for everyone`,
  );
  const journals = new JournalServer({ store });
  return {
    files,
    journals,
    store,
    banner,
    async attach(device: DemoDevice): Promise<void> {
      // The log control block LLN0$LG$EventLog shows the oldest and newest entries.
      const lcb = (attr: string, value: Data): void =>
        device.vmd.setValue(
          { scope: "domain", domainId: DEMO_DOMAIN, itemId: `LLN0$LG$EventLog$${attr}` },
          value,
        );
      const show = (which: "Old" | "New", e: StoredJournalEntry | undefined): void => {
        if (!e) return;
        lcb(`${which}EntrTm`, entryTime(e.time));
        lcb(`${which}Entr`, entryId(e.entryId));
      };
      const oldest = async () => (await store.query(DEMO_JOURNAL, { limit: 1 }))?.[0];
      show("Old", await oldest());
      show("New", await newest(store));
      device.onStatusChange((time, changes) => {
        // One entry per change: the data reference and its value, then the ReasonCode
        // (the IEC 61850-8-1 log entry content, as libiec61850 logs a data set member).
        for (const c of changes) {
          const variables: JournalVariable[] = [
            { variableTag: `${DEMO_DOMAIN}/${c.item}`, value: c.value },
            { variableTag: "ReasonCode", value: REASON_DATA_CHANGE },
          ];
          try {
            void Promise.resolve(store.append(DEMO_JOURNAL, { time, variables }))
              .then(async (e) => {
                show("New", e);
                show("Old", await oldest());
              })
              .catch(() => undefined);
          } catch {
            // a closed store (shutting down): the change is not logged
          }
        }
      });
    },
    close: () => closeStore(),
  };
}

/** The newest entry of the demo journal (pages through it once, at start-up). */
async function newest(store: JournalStore): Promise<StoredJournalEntry | undefined> {
  let last: StoredJournalEntry | undefined;
  for (;;) {
    const page = await store.query(DEMO_JOURNAL, {
      limit: 10_000,
      ...(last ? { after: { time: last.time, entryId: last.entryId } } : {}),
    });
    if (!page || page.length === 0) return last;
    last = page[page.length - 1];
  }
}
