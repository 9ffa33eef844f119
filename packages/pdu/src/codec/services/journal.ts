import {
  type BerReader,
  type BerWriter,
  ctx,
  ctxC,
  readBoolean,
  readInteger,
  readOctetCharString,
  UniversalTag,
  writeBoolean,
  writeInteger,
  writeOctetCharString,
  writeOctetString,
} from "@mms/asn1";
import type { PduLimits } from "../../limits";
import type { ObjectName } from "../../model/names";
import type {
  ConfirmedServiceRequest,
  ConfirmedServiceResponse,
  EntryContent,
  JournalEntry,
  JournalEntryForm,
  JournalRangeStart,
  JournalRangeStop,
  JournalVariable,
} from "../../model/services";
import { invalid, readList, readTimeOfDay, writeTimeOfDay } from "../common";
import { readData, writeData } from "../data";
import { readWrappedObjectName, writeWrappedObjectName } from "../object-name";
import { readApplicationReference, writeApplicationReference } from "./app-ref";

type Req<S> = Extract<ConfirmedServiceRequest, { service: S }>;
type Res<S> = Extract<ConfirmedServiceResponse, { service: S }>;

/**
 * ISO 9506-2 §20 (journal services; IMPLICIT unless noted):
 *   ReadJournal-Request ::= SEQUENCE { journalName [0] EXPLICIT ObjectName,
 *     rangeStartSpecification [1] EXPLICIT CHOICE { startingTime [0] TimeOfDay, startingEntry [1] OCTET STRING } OPTIONAL,
 *     rangeStopSpecification [2] EXPLICIT CHOICE { endingTime [0] TimeOfDay, numberOfEntries [1] Integer32 } OPTIONAL,
 *     listOfVariables [4] SEQUENCE OF VisibleString OPTIONAL,
 *     entryToStartAfter [5] SEQUENCE { timeSpecification [0] TimeOfDay, entrySpecification [1] OCTET STRING } OPTIONAL }
 *   ReadJournal-Response ::= SEQUENCE { listOfJournalEntry [0] SEQUENCE OF JournalEntry,
 *     moreFollows [1] BOOLEAN DEFAULT FALSE }
 *   JournalEntry ::= SEQUENCE { entryIdentifier [0] OCTET STRING,
 *     originatingApplication [1] EXPLICIT ApplicationReference, entryContent [2] EntryContent }
 *   EntryContent ::= SEQUENCE { occurrenceTime [0] TimeOfDay, additionalDetail [1] OPTIONAL (skipped),
 *     entryForm CHOICE { data [2] SEQUENCE {
 *         event [0] SEQUENCE { eventConditionName [0] EXPLICIT ObjectName, currentState [1] EC-State } OPTIONAL,
 *         listOfVariables [1] SEQUENCE OF SEQUENCE { variableTag [0] VisibleString,
 *                                                    valueSpecification [1] EXPLICIT Data } OPTIONAL },
 *       annotation [3] VisibleString } }
 *   InitializeJournal-Request ::= SEQUENCE { journalName [0] EXPLICIT ObjectName,
 *     limitSpecification [1] SEQUENCE { limitingTime [0] TimeOfDay, limitingEntry [1] OCTET STRING OPTIONAL } OPTIONAL }
 *   InitializeJournal-Response ::= Unsigned32
 */
export function readReadJournalRequest(r: BerReader, lim: PduLimits): Req<"readJournal"> {
  const journalName = readWrappedObjectName(r, ctxC(0), lim);
  let rangeStart: JournalRangeStart | undefined;
  if (r.isNext(ctxC(1))) {
    const c = r.enter(ctxC(1));
    rangeStart = c.isNext(ctx(0))
      ? { kind: "startingTime", time: readTimeOfDay(c, ctx(0)) }
      : { kind: "startingEntry", entry: c.readContent(ctx(1)) };
    c.expectEnd();
  }
  let rangeStop: JournalRangeStop | undefined;
  if (r.isNext(ctxC(2))) {
    const c = r.enter(ctxC(2));
    rangeStop = c.isNext(ctx(0))
      ? { kind: "endingTime", time: readTimeOfDay(c, ctx(0)) }
      : { kind: "numberOfEntries", count: readInteger(c, ctx(1), -0x80000000, 0x7fffffff) };
    c.expectEnd();
  }
  const listOfVariables = r.isNext(ctxC(4))
    ? readList(r.enter(ctxC(4)), lim, (c) => readOctetCharString(c, UniversalTag.VisibleString))
    : undefined;
  let entryToStartAfter: Req<"readJournal">["entryToStartAfter"];
  if (r.isNext(ctxC(5))) {
    const c = r.enter(ctxC(5));
    entryToStartAfter = { time: readTimeOfDay(c, ctx(0)), entry: c.readContent(ctx(1)) };
    c.expectEnd();
  }
  r.expectEnd();
  return { service: "readJournal", journalName, rangeStart, rangeStop, listOfVariables, entryToStartAfter };
}

export function writeReadJournalRequest(w: BerWriter, q: Req<"readJournal">): void {
  writeWrappedObjectName(w, ctxC(0), q.journalName);
  if (q.rangeStart !== undefined) {
    const m = w.begin(ctxC(1));
    if (q.rangeStart.kind === "startingTime") writeTimeOfDay(w, ctx(0), q.rangeStart.time);
    else writeOctetString(w, q.rangeStart.entry, ctx(1));
    w.end(m);
  }
  if (q.rangeStop !== undefined) {
    const m = w.begin(ctxC(2));
    if (q.rangeStop.kind === "endingTime") writeTimeOfDay(w, ctx(0), q.rangeStop.time);
    else writeInteger(w, q.rangeStop.count, ctx(1));
    w.end(m);
  }
  if (q.listOfVariables !== undefined) {
    const m = w.begin(ctxC(4));
    for (const v of q.listOfVariables) writeOctetCharString(w, v, UniversalTag.VisibleString);
    w.end(m);
  }
  if (q.entryToStartAfter !== undefined) {
    const m = w.begin(ctxC(5));
    writeTimeOfDay(w, ctx(0), q.entryToStartAfter.time);
    writeOctetString(w, q.entryToStartAfter.entry, ctx(1));
    w.end(m);
  }
}

function readJournalVariable(r: BerReader, lim: PduLimits): JournalVariable {
  const c = r.enter(UniversalTag.SEQUENCE);
  const variableTag = readOctetCharString(c, ctx(0));
  const d = c.enter(ctxC(1));
  const value = readData(d, lim, 0);
  d.expectEnd();
  c.expectEnd();
  return { variableTag, value };
}

function readEntryContent(r: BerReader, lim: PduLimits): EntryContent {
  const occurrenceTime = readTimeOfDay(r, ctx(0));
  if (r.isNext(ctxC(1))) r.skip(); // additionalDetail: companion-standard, not interpreted
  let form: JournalEntryForm;
  if (r.isNext(ctxC(2))) {
    const c = r.enter(ctxC(2));
    let event: { eventConditionName: ObjectName; currentState: number } | undefined;
    if (c.isNext(ctxC(0))) {
      const e = c.enter(ctxC(0));
      event = {
        eventConditionName: readWrappedObjectName(e, ctxC(0), lim),
        currentState: readInteger(e, ctx(1), 0, 0x7fffffff),
      };
      e.expectEnd();
    }
    const listOfVariables = c.isNext(ctxC(1))
      ? readList(c.enter(ctxC(1)), lim, (v) => readJournalVariable(v, lim))
      : undefined;
    c.expectEnd();
    form = { kind: "data", event, listOfVariables };
  } else form = { kind: "annotation", text: readOctetCharString(r, ctx(3)) };
  r.expectEnd();
  return { occurrenceTime, form };
}

function readJournalEntry(r: BerReader, lim: PduLimits): JournalEntry {
  const c = r.enter(UniversalTag.SEQUENCE);
  const entryIdentifier = c.readContent(ctx(0));
  const a = c.enter(ctxC(1));
  const originatingApplication = readApplicationReference(a);
  a.expectEnd();
  const entryContent = readEntryContent(c.enter(ctxC(2)), lim);
  c.expectEnd();
  return { entryIdentifier, originatingApplication, entryContent };
}

export function readReadJournalResponse(r: BerReader, lim: PduLimits): Res<"readJournal"> {
  const entries = readList(r.enter(ctxC(0)), lim, (c) => readJournalEntry(c, lim));
  const moreFollows = r.isNext(ctx(1)) ? readBoolean(r, ctx(1)) : false;
  r.expectEnd();
  return { service: "readJournal", entries, moreFollows };
}

function writeEntryContent(w: BerWriter, e: EntryContent): void {
  writeTimeOfDay(w, ctx(0), e.occurrenceTime);
  const f = e.form;
  if (f.kind === "data") {
    const m = w.begin(ctxC(2));
    if (f.event !== undefined) {
      const ev = w.begin(ctxC(0));
      writeWrappedObjectName(w, ctxC(0), f.event.eventConditionName);
      writeInteger(w, f.event.currentState, ctx(1));
      w.end(ev);
    }
    if (f.listOfVariables !== undefined) {
      const l = w.begin(ctxC(1));
      for (const v of f.listOfVariables) {
        const s = w.begin(UniversalTag.SEQUENCE);
        writeOctetCharString(w, v.variableTag, ctx(0));
        const d = w.begin(ctxC(1));
        writeData(w, v.value);
        w.end(d);
        w.end(s);
      }
      w.end(l);
    }
    w.end(m);
  } else if (f.kind === "annotation") writeOctetCharString(w, f.text, ctx(3));
  else invalid("unknown journal entry form");
}

export function writeReadJournalResponse(w: BerWriter, s: Res<"readJournal">): void {
  const m = w.begin(ctxC(0));
  for (const e of s.entries) {
    const q = w.begin(UniversalTag.SEQUENCE);
    writeOctetString(w, e.entryIdentifier, ctx(0));
    const a = w.begin(ctxC(1));
    writeApplicationReference(w, e.originatingApplication);
    w.end(a);
    const c = w.begin(ctxC(2));
    writeEntryContent(w, e.entryContent);
    w.end(c);
    w.end(q);
  }
  w.end(m);
  if (s.moreFollows) writeBoolean(w, true, ctx(1));
}

export function readInitializeJournalRequest(r: BerReader, lim: PduLimits): Req<"initializeJournal"> {
  const journalName = readWrappedObjectName(r, ctxC(0), lim);
  let limitSpecification: Req<"initializeJournal">["limitSpecification"];
  if (r.isNext(ctxC(1))) {
    const c = r.enter(ctxC(1));
    const limitingTime = readTimeOfDay(c, ctx(0));
    const limitingEntry = c.isNext(ctx(1)) ? c.readContent(ctx(1)) : undefined;
    c.expectEnd();
    limitSpecification = { limitingTime, limitingEntry };
  }
  r.expectEnd();
  return { service: "initializeJournal", journalName, limitSpecification };
}

export function writeInitializeJournalRequest(w: BerWriter, q: Req<"initializeJournal">): void {
  writeWrappedObjectName(w, ctxC(0), q.journalName);
  if (q.limitSpecification !== undefined) {
    const m = w.begin(ctxC(1));
    writeTimeOfDay(w, ctx(0), q.limitSpecification.limitingTime);
    if (q.limitSpecification.limitingEntry !== undefined)
      writeOctetString(w, q.limitSpecification.limitingEntry, ctx(1));
    w.end(m);
  }
}
