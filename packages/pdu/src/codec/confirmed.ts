import { type BerReader, type BerWriter, ctx, ctxC, writeInteger } from "@mms/asn1";
import type { PduLimits } from "../limits";
import type { ConfirmedServiceRequest, ConfirmedServiceResponse, UnknownService } from "../model/services";
import { checkUnsigned32, invalid, readInteger32, readNullTag, readUnsigned32, writeNullTag } from "./common";
import * as F from "./services/files";
import * as J from "./services/journal";
import * as N from "./services/nvl";
import * as V from "./services/variables";
import * as M from "./services/vmd";

/**
 * ISO 9506-2 §7.1 ConfirmedServiceRequest / ConfirmedServiceResponse: the CHOICE alternatives
 * coded here and their tags (IMPLICIT unless marked EXPLICIT):
 *   status [0], getNameList [1], identify [2], read [4], write [5],
 *   getVariableAccessAttributes [6] (request EXPLICIT), defineNamedVariableList [11],
 *   getNamedVariableListAttributes [12] (request EXPLICIT), deleteNamedVariableList [13],
 *   obtainFile [46], readJournal [65], initializeJournal [67], fileOpen [72], fileRead [73],
 *   fileClose [74], fileRename [75], fileDelete [76], fileDirectory [77].
 * Any other alternative decodes to `{ service: "unknown", tag, raw }`.
 */
const Q = {
  status: ctx(0),
  getNameList: ctxC(1),
  identify: ctx(2),
  read: ctxC(4),
  write: ctxC(5),
  gvaa: ctxC(6),
  defineNvl: ctxC(11),
  getNvl: ctxC(12),
  deleteNvl: ctxC(13),
  obtainFile: ctxC(46),
  readJournal: ctxC(65),
  initializeJournal: ctxC(67),
  fileOpen: ctxC(72),
  fileRead: ctx(73),
  fileClose: ctx(74),
  fileRename: ctxC(75),
  fileDelete: ctxC(76),
  fileDirectory: ctxC(77),
} as const;

const S = {
  status: ctxC(0),
  getNameList: ctxC(1),
  identify: ctxC(2),
  read: ctxC(4),
  write: ctxC(5),
  gvaa: ctxC(6),
  defineNvl: ctx(11),
  getNvl: ctxC(12),
  deleteNvl: ctxC(13),
  obtainFile: ctx(46),
  readJournal: ctxC(65),
  initializeJournal: ctx(67),
  fileOpen: ctxC(72),
  fileRead: ctxC(73),
  fileClose: ctx(74),
  fileRename: ctx(75),
  fileDelete: ctx(76),
  fileDirectory: ctxC(77),
} as const;

/** Keeps an uncoded service whole (a view of the input), so that a server can reject it. */
export function readUnknownService(r: BerReader): UnknownService {
  const tag = r.peekTag();
  if (tag === -1) r.fail("truncated", "expected a service, found the end");
  return { service: "unknown", tag, raw: r.readTlv() };
}

export function readConfirmedServiceRequest(r: BerReader, lim: PduLimits): ConfirmedServiceRequest {
  const tag = r.peekTag();
  switch (tag) {
    case Q.read:
      return V.readReadRequest(r.enter(tag), lim);
    case Q.write:
      return V.readWriteRequest(r.enter(tag), lim);
    case Q.status:
      return M.readStatusRequest(r);
    case Q.getNameList:
      return M.readGetNameListRequest(r.enter(tag), lim);
    case Q.identify:
      readNullTag(r, tag);
      return { service: "identify" };
    case Q.gvaa:
      return V.readGvaaRequest(r.enter(tag), lim);
    case Q.defineNvl:
      return N.readDefineNvlRequest(r.enter(tag), lim);
    case Q.getNvl:
      return N.readGetNvlAttributesRequest(r.enter(tag), lim);
    case Q.deleteNvl:
      return N.readDeleteNvlRequest(r.enter(tag), lim);
    case Q.obtainFile:
      return F.readObtainFileRequest(r.enter(tag), lim);
    case Q.readJournal:
      return J.readReadJournalRequest(r.enter(tag), lim);
    case Q.initializeJournal:
      return J.readInitializeJournalRequest(r.enter(tag), lim);
    case Q.fileOpen:
      return F.readFileOpenRequest(r.enter(tag), lim);
    case Q.fileRead:
      return { service: "fileRead", frsmId: readInteger32(r, tag) };
    case Q.fileClose:
      return { service: "fileClose", frsmId: readInteger32(r, tag) };
    case Q.fileRename:
      return F.readFileRenameRequest(r.enter(tag), lim);
    case Q.fileDelete:
      return F.readFileDeleteRequest(r.enter(tag), lim);
    case Q.fileDirectory:
      return F.readFileDirectoryRequest(r.enter(tag), lim);
    default:
      return readUnknownService(r);
  }
}

export function writeConfirmedServiceRequest(w: BerWriter, q: ConfirmedServiceRequest): void {
  switch (q.service) {
    case "read": {
      const m = w.begin(Q.read);
      V.writeReadRequest(w, q);
      w.end(m);
      return;
    }
    case "write": {
      const m = w.begin(Q.write);
      V.writeWriteRequest(w, q);
      w.end(m);
      return;
    }
    case "status":
      M.writeStatusRequest(w, q);
      return;
    case "getNameList": {
      const m = w.begin(Q.getNameList);
      M.writeGetNameListRequest(w, q);
      w.end(m);
      return;
    }
    case "identify":
      writeNullTag(w, Q.identify);
      return;
    case "getVariableAccessAttributes": {
      const m = w.begin(Q.gvaa);
      V.writeGvaaRequest(w, q);
      w.end(m);
      return;
    }
    case "defineNamedVariableList": {
      const m = w.begin(Q.defineNvl);
      N.writeDefineNvlRequest(w, q);
      w.end(m);
      return;
    }
    case "getNamedVariableListAttributes": {
      const m = w.begin(Q.getNvl);
      N.writeGetNvlAttributesRequest(w, q);
      w.end(m);
      return;
    }
    case "deleteNamedVariableList": {
      const m = w.begin(Q.deleteNvl);
      N.writeDeleteNvlRequest(w, q);
      w.end(m);
      return;
    }
    case "obtainFile": {
      const m = w.begin(Q.obtainFile);
      F.writeObtainFileRequest(w, q);
      w.end(m);
      return;
    }
    case "readJournal": {
      const m = w.begin(Q.readJournal);
      J.writeReadJournalRequest(w, q);
      w.end(m);
      return;
    }
    case "initializeJournal": {
      const m = w.begin(Q.initializeJournal);
      J.writeInitializeJournalRequest(w, q);
      w.end(m);
      return;
    }
    case "fileOpen": {
      const m = w.begin(Q.fileOpen);
      F.writeFileOpenRequest(w, q);
      w.end(m);
      return;
    }
    case "fileRead":
      writeInteger(w, q.frsmId, Q.fileRead);
      return;
    case "fileClose":
      writeInteger(w, q.frsmId, Q.fileClose);
      return;
    case "fileRename": {
      const m = w.begin(Q.fileRename);
      F.writeFileRenameRequest(w, q);
      w.end(m);
      return;
    }
    case "fileDelete": {
      const m = w.begin(Q.fileDelete);
      F.writeFileDeleteRequest(w, q);
      w.end(m);
      return;
    }
    case "fileDirectory": {
      const m = w.begin(Q.fileDirectory);
      F.writeFileDirectoryRequest(w, q);
      w.end(m);
      return;
    }
    case "unknown":
      w.raw(q.raw);
      return;
    default:
      invalid("unknown confirmed service");
  }
}

export function readConfirmedServiceResponse(r: BerReader, lim: PduLimits): ConfirmedServiceResponse {
  const tag = r.peekTag();
  switch (tag) {
    case S.read:
      return V.readReadResponse(r.enter(tag), lim);
    case S.write:
      return V.readWriteResponse(r.enter(tag), lim);
    case S.status:
      return { service: "status", ...M.readStatusContent(r.enter(tag)) };
    case S.getNameList:
      return M.readGetNameListResponse(r.enter(tag), lim);
    case S.identify:
      return M.readIdentifyResponse(r.enter(tag), lim);
    case S.gvaa:
      return V.readGvaaResponse(r.enter(tag), lim);
    case S.defineNvl:
      readNullTag(r, tag);
      return { service: "defineNamedVariableList" };
    case S.getNvl:
      return N.readGetNvlAttributesResponse(r.enter(tag), lim);
    case S.deleteNvl:
      return N.readDeleteNvlResponse(r.enter(tag));
    case S.obtainFile:
      readNullTag(r, tag);
      return { service: "obtainFile" };
    case S.readJournal:
      return J.readReadJournalResponse(r.enter(tag), lim);
    case S.initializeJournal:
      return { service: "initializeJournal", entriesDeleted: readUnsigned32(r, tag) };
    case S.fileOpen:
      return F.readFileOpenResponse(r.enter(tag));
    case S.fileRead:
      return F.readFileReadResponse(r.enter(tag));
    case S.fileClose:
      readNullTag(r, tag);
      return { service: "fileClose" };
    case S.fileRename:
      readNullTag(r, tag);
      return { service: "fileRename" };
    case S.fileDelete:
      readNullTag(r, tag);
      return { service: "fileDelete" };
    case S.fileDirectory:
      return F.readFileDirectoryResponse(r.enter(tag), lim);
    default:
      return readUnknownService(r);
  }
}

export function writeConfirmedServiceResponse(w: BerWriter, s: ConfirmedServiceResponse): void {
  switch (s.service) {
    case "read": {
      const m = w.begin(S.read);
      V.writeReadResponse(w, s);
      w.end(m);
      return;
    }
    case "write": {
      const m = w.begin(S.write);
      V.writeWriteResponse(w, s);
      w.end(m);
      return;
    }
    case "status": {
      const m = w.begin(S.status);
      M.writeStatusContent(w, s);
      w.end(m);
      return;
    }
    case "getNameList": {
      const m = w.begin(S.getNameList);
      M.writeGetNameListResponse(w, s);
      w.end(m);
      return;
    }
    case "identify": {
      const m = w.begin(S.identify);
      M.writeIdentifyResponse(w, s);
      w.end(m);
      return;
    }
    case "getVariableAccessAttributes": {
      const m = w.begin(S.gvaa);
      V.writeGvaaResponse(w, s);
      w.end(m);
      return;
    }
    case "defineNamedVariableList":
      writeNullTag(w, S.defineNvl);
      return;
    case "getNamedVariableListAttributes": {
      const m = w.begin(S.getNvl);
      N.writeGetNvlAttributesResponse(w, s);
      w.end(m);
      return;
    }
    case "deleteNamedVariableList": {
      const m = w.begin(S.deleteNvl);
      N.writeDeleteNvlResponse(w, s);
      w.end(m);
      return;
    }
    case "obtainFile":
      writeNullTag(w, S.obtainFile);
      return;
    case "readJournal": {
      const m = w.begin(S.readJournal);
      J.writeReadJournalResponse(w, s);
      w.end(m);
      return;
    }
    case "initializeJournal":
      writeInteger(w, checkUnsigned32(s.entriesDeleted, "entriesDeleted"), S.initializeJournal);
      return;
    case "fileOpen": {
      const m = w.begin(S.fileOpen);
      F.writeFileOpenResponse(w, s);
      w.end(m);
      return;
    }
    case "fileRead": {
      const m = w.begin(S.fileRead);
      F.writeFileReadResponse(w, s);
      w.end(m);
      return;
    }
    case "fileClose":
      writeNullTag(w, S.fileClose);
      return;
    case "fileRename":
      writeNullTag(w, S.fileRename);
      return;
    case "fileDelete":
      writeNullTag(w, S.fileDelete);
      return;
    case "fileDirectory": {
      const m = w.begin(S.fileDirectory);
      F.writeFileDirectoryResponse(w, s);
      w.end(m);
      return;
    }
    case "unknown":
      w.raw(s.raw);
      return;
    default:
      invalid("unknown confirmed service");
  }
}
