import { decode, encode } from "@mms/asn1";
import { dataCodec, type JournalVariable } from "@mms/pdu";
import { MmsServerUsageError } from "../errors";
import {
  entryIdOf,
  type JournalLimit,
  type JournalQuery,
  type JournalStore,
  type StoredJournalEntry,
  seqOf,
} from "./journal-store";

/** The part of better-sqlite3 (version 12) this store uses. */
interface SqliteStatement {
  run(...params: unknown[]): { readonly changes: number; readonly lastInsertRowid: number | bigint };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string): unknown;
  close(): unknown;
}
type SqliteConstructor = new (path: string) => SqliteDatabase;

interface Row {
  readonly seq: number;
  readonly time: number;
  readonly vars: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS journals (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  journal TEXT NOT NULL,
  time INTEGER NOT NULL,
  vars TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_order ON entries (journal, time, seq);
`;

/**
 * Journals in a SQLite file (better-sqlite3 12, loaded when the store is opened): entries
 * survive restarts. Variables are kept as their BER Data encoding (ISO 9506-2 §14.4.2).
 */
export class SqliteJournalStore implements JournalStore {
  private readonly db: SqliteDatabase;

  private constructor(db: SqliteDatabase) {
    this.db = db;
    db.pragma("journal_mode = WAL");
    db.exec(SCHEMA);
  }

  /** Opens (or creates) the database file; `":memory:"` for a private in-memory database. */
  static async open(path: string): Promise<SqliteJournalStore> {
    const specifier = "better-sqlite3";
    let mod: { default: SqliteConstructor };
    try {
      mod = (await import(specifier)) as { default: SqliteConstructor };
    } catch (e) {
      throw new MmsServerUsageError("SqliteJournalStore needs better-sqlite3 12 (an optional dependency)", {
        cause: e,
      });
    }
    return new SqliteJournalStore(new mod.default(path));
  }

  close(): void {
    this.db.close();
  }

  journals(): readonly string[] {
    return (this.db.prepare("SELECT name FROM journals ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );
  }

  create(journal: string): void {
    this.db.prepare("INSERT OR IGNORE INTO journals (name) VALUES (?)").run(journal);
  }

  append(
    journal: string,
    entry: { time: number; variables: readonly JournalVariable[] },
  ): StoredJournalEntry {
    this.create(journal);
    const vars = JSON.stringify(
      entry.variables.map((v) => [v.variableTag, Buffer.from(encode(dataCodec, v.value)).toString("base64")]),
    );
    const r = this.db
      .prepare("INSERT INTO entries (journal, time, vars) VALUES (?, ?, ?)")
      .run(journal, Math.trunc(entry.time), vars);
    return { entryId: entryIdOf(Number(r.lastInsertRowid)), time: entry.time, variables: entry.variables };
  }

  private exists(journal: string): boolean {
    return this.db.prepare("SELECT 1 FROM journals WHERE name = ?").get(journal) !== undefined;
  }

  query(journal: string, q: JournalQuery): readonly StoredJournalEntry[] | undefined {
    if (!this.exists(journal)) return undefined;
    const where = ["journal = ?"];
    const params: unknown[] = [journal];
    if (q.from !== undefined) {
      where.push("time >= ?");
      params.push(Math.trunc(q.from));
    }
    if (q.to !== undefined) {
      where.push("time <= ?");
      params.push(Math.trunc(q.to));
    }
    if (q.startingEntry !== undefined) {
      const seq = seqOf(q.startingEntry);
      const row = (
        seq === undefined
          ? undefined
          : this.db.prepare("SELECT time FROM entries WHERE journal = ? AND seq = ?").get(journal, seq)
      ) as { time: number } | undefined;
      if (!row || seq === undefined) return [];
      where.push("(time > ? OR (time = ? AND seq >= ?))");
      params.push(row.time, row.time, seq);
    }
    if (q.after !== undefined) {
      const seq = seqOf(q.after.entryId) ?? Number.MAX_SAFE_INTEGER;
      where.push("(time > ? OR (time = ? AND seq > ?))");
      params.push(Math.trunc(q.after.time), Math.trunc(q.after.time), seq);
    }
    params.push(q.limit);
    const rows = this.db
      .prepare(`SELECT seq, time, vars FROM entries WHERE ${where.join(" AND ")} ORDER BY time, seq LIMIT ?`)
      .all(...params) as Row[];
    return rows.map((r) => ({
      entryId: entryIdOf(r.seq),
      time: r.time,
      variables: (JSON.parse(r.vars) as [string, string][]).map(([variableTag, b64]) => ({
        variableTag,
        value: decode(dataCodec, Buffer.from(b64, "base64")),
      })),
    }));
  }

  clear(journal: string, limit?: JournalLimit): number | undefined {
    if (!this.exists(journal)) return undefined;
    if (limit === undefined)
      return this.db.prepare("DELETE FROM entries WHERE journal = ?").run(journal).changes;
    const seq = limit.entryId === undefined ? Number.MAX_SAFE_INTEGER : (seqOf(limit.entryId) ?? -1);
    return this.db
      .prepare("DELETE FROM entries WHERE journal = ? AND (time < ? OR (time = ? AND seq <= ?))")
      .run(journal, Math.trunc(limit.time), Math.trunc(limit.time), seq).changes;
  }
}
