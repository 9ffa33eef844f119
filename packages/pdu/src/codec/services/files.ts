import {
  type BerReader,
  type BerWriter,
  ctx,
  ctxC,
  readBoolean,
  UniversalTag,
  writeBoolean,
  writeInteger,
  writeOctetString,
} from "@mms/asn1";
import type { PduLimits } from "../../limits";
import type { ConfirmedServiceRequest, ConfirmedServiceResponse, DirectoryEntry } from "../../model/services";
import {
  checkUnsigned32,
  readFileName,
  readFileNameContent,
  readInteger32,
  readList,
  readMmsGeneralizedTime,
  readUnsigned32,
  writeFileName,
  writeFileNameContent,
  writeMmsGeneralizedTime,
} from "../common";
import { readApplicationReferenceContent, writeApplicationReferenceContent } from "./app-ref";

type Req<S> = Extract<ConfirmedServiceRequest, { service: S }>;
type Res<S> = Extract<ConfirmedServiceResponse, { service: S }>;

/**
 * ISO 9506-2 Annex D (file services), all tags IMPLICIT unless noted:
 *   FileOpen-Request ::= SEQUENCE { fileName [0] FileName, initialPosition [1] Unsigned32 }
 *   FileOpen-Response ::= SEQUENCE { frsmID [0] Integer32, fileAttributes [1] FileAttributes }
 *   FileAttributes ::= SEQUENCE { sizeOfFile [0] Unsigned32, lastModified [1] GeneralizedTime OPTIONAL }
 *   FileRead-Request ::= Integer32, FileRead-Response ::= SEQUENCE { fileData [0] OCTET STRING,
 *     moreFollows [1] BOOLEAN DEFAULT TRUE }
 *   FileClose-Request ::= Integer32, FileClose-Response ::= NULL
 *   FileRename-Request ::= SEQUENCE { currentFileName [0] FileName, newFileName [1] FileName }
 *   FileDelete-Request ::= FileName
 *   FileDirectory-Request ::= SEQUENCE { fileSpecification [0] FileName OPTIONAL, continueAfter [1] FileName OPTIONAL }
 *   FileDirectory-Response ::= SEQUENCE { listOfDirectoryEntry [0] EXPLICIT SEQUENCE OF DirectoryEntry,
 *     moreFollows [1] BOOLEAN DEFAULT FALSE }
 *   DirectoryEntry ::= SEQUENCE { filename [0] FileName, fileAttributes [1] FileAttributes }
 *   ObtainFile-Request ::= SEQUENCE { sourceFileServer [0] ApplicationReference OPTIONAL,
 *     sourceFile [1] FileName, destinationFile [2] FileName }
 * A peer-sent initialPosition or size is only a number here: servers must check it against the
 * file (CVE-2026-48503).
 */
export function readFileOpenRequest(r: BerReader, lim: PduLimits): Req<"fileOpen"> {
  const fileName = readFileName(r, ctxC(0), lim);
  const initialPosition = readUnsigned32(r, ctx(1));
  r.expectEnd();
  return { service: "fileOpen", fileName, initialPosition };
}
export function writeFileOpenRequest(w: BerWriter, q: Req<"fileOpen">): void {
  writeFileName(w, ctxC(0), q.fileName);
  writeInteger(w, checkUnsigned32(q.initialPosition, "initialPosition"), ctx(1));
}

function readAttributes(r: BerReader): { sizeOfFile: number; lastModified: Date | undefined } {
  const sizeOfFile = readUnsigned32(r, ctx(0));
  const lastModified = r.isNext(ctx(1)) ? readMmsGeneralizedTime(r, ctx(1)) : undefined;
  r.expectEnd();
  return { sizeOfFile, lastModified };
}
function writeAttributes(w: BerWriter, sizeOfFile: number, lastModified: Date | undefined): void {
  const m = w.begin(ctxC(1));
  writeInteger(w, checkUnsigned32(sizeOfFile, "sizeOfFile"), ctx(0));
  if (lastModified !== undefined) writeMmsGeneralizedTime(w, ctx(1), lastModified);
  w.end(m);
}

export function readFileOpenResponse(r: BerReader): Res<"fileOpen"> {
  const frsmId = readInteger32(r, ctx(0));
  const { sizeOfFile, lastModified } = readAttributes(r.enter(ctxC(1)));
  r.expectEnd();
  return { service: "fileOpen", frsmId, sizeOfFile, lastModified };
}
export function writeFileOpenResponse(w: BerWriter, s: Res<"fileOpen">): void {
  writeInteger(w, s.frsmId, ctx(0));
  writeAttributes(w, s.sizeOfFile, s.lastModified);
}

export function readFileReadResponse(r: BerReader): Res<"fileRead"> {
  const fileData = r.readContent(ctx(0));
  const moreFollows = r.isNext(ctx(1)) ? readBoolean(r, ctx(1)) : true;
  r.expectEnd();
  return { service: "fileRead", fileData, moreFollows };
}
export function writeFileReadResponse(w: BerWriter, s: Res<"fileRead">): void {
  writeOctetString(w, s.fileData, ctx(0));
  if (!s.moreFollows) writeBoolean(w, false, ctx(1));
}

export function readFileRenameRequest(r: BerReader, lim: PduLimits): Req<"fileRename"> {
  const currentFileName = readFileName(r, ctxC(0), lim);
  const newFileName = readFileName(r, ctxC(1), lim);
  r.expectEnd();
  return { service: "fileRename", currentFileName, newFileName };
}
export function writeFileRenameRequest(w: BerWriter, q: Req<"fileRename">): void {
  writeFileName(w, ctxC(0), q.currentFileName);
  writeFileName(w, ctxC(1), q.newFileName);
}

export function readFileDeleteRequest(r: BerReader, lim: PduLimits): Req<"fileDelete"> {
  return { service: "fileDelete", fileName: readFileNameContent(r, lim) };
}
export function writeFileDeleteRequest(w: BerWriter, q: Req<"fileDelete">): void {
  writeFileNameContent(w, q.fileName);
}

export function readFileDirectoryRequest(r: BerReader, lim: PduLimits): Req<"fileDirectory"> {
  const fileSpecification = r.isNext(ctxC(0)) ? readFileName(r, ctxC(0), lim) : undefined;
  const continueAfter = r.isNext(ctxC(1)) ? readFileName(r, ctxC(1), lim) : undefined;
  r.expectEnd();
  return { service: "fileDirectory", fileSpecification, continueAfter };
}
export function writeFileDirectoryRequest(w: BerWriter, q: Req<"fileDirectory">): void {
  if (q.fileSpecification !== undefined) writeFileName(w, ctxC(0), q.fileSpecification);
  if (q.continueAfter !== undefined) writeFileName(w, ctxC(1), q.continueAfter);
}

function readDirectoryEntry(r: BerReader, lim: PduLimits): DirectoryEntry {
  const c = r.enter(UniversalTag.SEQUENCE);
  const fileName = readFileName(c, ctxC(0), lim);
  const { sizeOfFile, lastModified } = readAttributes(c.enter(ctxC(1)));
  c.expectEnd();
  return { fileName, sizeOfFile, lastModified };
}

export function readFileDirectoryResponse(r: BerReader, lim: PduLimits): Res<"fileDirectory"> {
  const outer = r.enter(ctxC(0));
  const entries = readList(outer.enter(UniversalTag.SEQUENCE), lim, (c) => readDirectoryEntry(c, lim));
  outer.expectEnd();
  const moreFollows = r.isNext(ctx(1)) ? readBoolean(r, ctx(1)) : false;
  r.expectEnd();
  return { service: "fileDirectory", entries, moreFollows };
}
export function writeFileDirectoryResponse(w: BerWriter, s: Res<"fileDirectory">): void {
  const outer = w.begin(ctxC(0));
  const seq = w.begin(UniversalTag.SEQUENCE);
  for (const e of s.entries) {
    const m = w.begin(UniversalTag.SEQUENCE);
    writeFileName(w, ctxC(0), e.fileName);
    writeAttributes(w, e.sizeOfFile, e.lastModified);
    w.end(m);
  }
  w.end(seq);
  w.end(outer);
  if (s.moreFollows) writeBoolean(w, true, ctx(1));
}

export function readObtainFileRequest(r: BerReader, lim: PduLimits): Req<"obtainFile"> {
  const sourceFileServer = r.isNext(ctxC(0)) ? readApplicationReferenceContent(r.enter(ctxC(0))) : undefined;
  const sourceFile = readFileName(r, ctxC(1), lim);
  const destinationFile = readFileName(r, ctxC(2), lim);
  r.expectEnd();
  return { service: "obtainFile", sourceFileServer, sourceFile, destinationFile };
}
export function writeObtainFileRequest(w: BerWriter, q: Req<"obtainFile">): void {
  if (q.sourceFileServer !== undefined) {
    const m = w.begin(ctxC(0));
    writeApplicationReferenceContent(w, q.sourceFileServer);
    w.end(m);
  }
  writeFileName(w, ctxC(1), q.sourceFile);
  writeFileName(w, ctxC(2), q.destinationFile);
}
