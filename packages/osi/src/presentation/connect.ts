import {
  type BerReader,
  BerWriter,
  type BitString,
  ctx,
  ctxC,
  readBitString,
  readInteger,
  readOctetString,
  readOid,
  UniversalTag,
  writeBitString,
  writeInteger,
  writeOctetString,
} from "@mms/asn1";
import { writeKnownOid } from "../oid-cache";
import type { AcceptPpdu, ConnectPpdu, ContextDefinition, ContextResult, RefusePpdu } from "./ppdu";
import {
  FULLY_ENCODED_DATA,
  readUserData,
  SIMPLY_ENCODED_DATA,
  type UserDataValue,
  writeUserData,
} from "./user-data";

/** ISO 8823-1 §8.2: Mode-selector mode-value normal-mode(1). */
export const NORMAL_MODE = 1;
const MODE_SELECTOR = ctxC(0);
const X410_MODE_PARAMETERS = ctxC(1);
const NORMAL_MODE_PARAMETERS = ctxC(2);
const PROTOCOL_VERSION = ctx(0);
const CALLING_SELECTOR = ctx(1);
const CALLED_SELECTOR = ctx(2);
const RESPONDING_SELECTOR = ctx(3);
const CONTEXT_DEFINITION_LIST = ctxC(4);
const CONTEXT_RESULT_LIST = ctxC(5);
const DEFAULT_CONTEXT_NAME = ctxC(6);
const DEFAULT_CONTEXT_RESULT = ctx(7);
const PRESENTATION_REQUIREMENTS = ctx(8);
const PROVIDER_REASON = ctx(10);
/** Contexts in one proposal, selectors' octets: bounds on peer input. */
export const MAX_CONTEXTS = 32;
const MAX_TRANSFER_SYNTAXES = 8;
const MAX_SELECTOR = 64;

function readSelector(r: BerReader, tag: number): Uint8Array {
  const v = readOctetString(r, tag);
  if (v.length > MAX_SELECTOR) r.fail("invalid-value", "presentation selector too long");
  return v;
}

function readContextDefinition(r: BerReader): ContextDefinition {
  const s = r.enter(UniversalTag.SEQUENCE);
  const id = readInteger(s, UniversalTag.INTEGER, 1, 0x7fffffff);
  const abstractSyntax = readOid(s);
  const transferSyntaxes = s.sequenceOf(UniversalTag.SEQUENCE, (t) => readOid(t), MAX_TRANSFER_SYNTAXES);
  s.expectEnd();
  return { id, abstractSyntax, transferSyntaxes };
}

function readContextResult(r: BerReader): ContextResult {
  const s = r.enter(UniversalTag.SEQUENCE);
  const result = readInteger(s, ctx(0), 0, 2) as 0 | 1 | 2;
  const transferSyntax = s.isNext(ctx(1)) ? readOid(s, ctx(1)) : undefined;
  const providerReason = s.isNext(ctx(2)) ? readInteger(s, ctx(2), 0, 0x7fffffff) : undefined;
  s.expectEnd();
  return { result, transferSyntax, providerReason };
}

/** Checks the mode selector: only normal mode is implemented (X.410-1984 mode is RTSE's). */
function readModeSelector(r: BerReader): void {
  const m = r.enter(MODE_SELECTOR);
  const mode = readInteger(m, ctx(0), 0, 1);
  m.expectEnd();
  if (mode !== NORMAL_MODE) r.fail("invalid-value", "presentation mode x410-1984 is not supported");
}

/**
 * Walks the outer SET of a CP-type or CPA-PPDU (elements in any order): checks the mode selector
 * and returns a reader over normal-mode-parameters, which normal mode requires (ISO 8823-1 §8.2;
 * libiec61850 #252). x410-mode parameters are refused; other elements are skipped.
 */
function enterNormalModeParameters(set: BerReader, what: string): BerReader {
  let sawMode = false;
  let params: BerReader | undefined;
  while (set.hasMore()) {
    const t = set.peekTag();
    if (t === MODE_SELECTOR) {
      readModeSelector(set);
      sawMode = true;
    } else if (t === NORMAL_MODE_PARAMETERS) {
      if (params) set.fail("invalid-encoding", "normal-mode-parameters given twice");
      params = set.enter(NORMAL_MODE_PARAMETERS);
    } else if (t === X410_MODE_PARAMETERS) set.fail("invalid-value", `x410-mode parameters in a ${what}`);
    else set.skip();
  }
  if (!sawMode) set.fail("truncated", `${what} without a mode-selector`);
  if (!params) set.fail("truncated", `${what} without normal-mode-parameters`);
  return params;
}

/** Reads the content of CP-type (the SET, entered). Elements may come in any order (SET). */
export function readConnectPpdu(set: BerReader): ConnectPpdu {
  const params = enterNormalModeParameters(set, "CP-type");
  let protocolVersion: BitString | undefined;
  let callingSelector: Uint8Array | undefined;
  let calledSelector: Uint8Array | undefined;
  let contexts: ContextDefinition[] = [];
  let defaultContext: ConnectPpdu["defaultContext"];
  let presentationRequirements: BitString | undefined;
  let userData: ConnectPpdu["userData"] = [];
  while (params.hasMore()) {
    const t = params.peekTag();
    if (t === PROTOCOL_VERSION) protocolVersion = readBitString(params, PROTOCOL_VERSION);
    else if (t === CALLING_SELECTOR) callingSelector = readSelector(params, CALLING_SELECTOR);
    else if (t === CALLED_SELECTOR) calledSelector = readSelector(params, CALLED_SELECTOR);
    else if (t === CONTEXT_DEFINITION_LIST)
      contexts = params.sequenceOf(CONTEXT_DEFINITION_LIST, readContextDefinition, MAX_CONTEXTS);
    else if (t === DEFAULT_CONTEXT_NAME) {
      const d = params.enter(DEFAULT_CONTEXT_NAME);
      defaultContext = { abstractSyntax: readOid(d, ctx(0)), transferSyntax: readOid(d, ctx(1)) };
      d.expectEnd();
    } else if (t === PRESENTATION_REQUIREMENTS)
      presentationRequirements = readBitString(params, PRESENTATION_REQUIREMENTS);
    else if (t === FULLY_ENCODED_DATA) userData = readUserData(params);
    else if (t === SIMPLY_ENCODED_DATA) params.fail("invalid-value", "simply-encoded-data is not supported");
    // [9] user-session-requirements, [11] protocol-options, [12] initiators-nominated-context,
    // [14] extensions: skipped (each skip advances past a whole element).
    else params.skip();
  }
  return {
    protocolVersion,
    callingSelector,
    calledSelector,
    contexts,
    defaultContext,
    presentationRequirements,
    userData,
  };
}

/** Reads the content of a CPA-PPDU (the SET, entered). */
export function readAcceptPpdu(set: BerReader): AcceptPpdu {
  const params = enterNormalModeParameters(set, "CPA-PPDU");
  let protocolVersion: BitString | undefined;
  let respondingSelector: Uint8Array | undefined;
  let results: ContextResult[] = [];
  let userData: AcceptPpdu["userData"] = [];
  while (params.hasMore()) {
    const t = params.peekTag();
    if (t === PROTOCOL_VERSION) protocolVersion = readBitString(params, PROTOCOL_VERSION);
    else if (t === RESPONDING_SELECTOR) respondingSelector = readSelector(params, RESPONDING_SELECTOR);
    else if (t === CONTEXT_RESULT_LIST)
      results = params.sequenceOf(CONTEXT_RESULT_LIST, readContextResult, MAX_CONTEXTS);
    else if (t === FULLY_ENCODED_DATA) userData = readUserData(params);
    else params.skip();
  }
  return { protocolVersion, respondingSelector, results, userData };
}

/** Reads a normal-mode CPR-PPDU (the SEQUENCE, entered). */
export function readRefusePpdu(s: BerReader): RefusePpdu {
  let protocolVersion: BitString | undefined;
  let respondingSelector: Uint8Array | undefined;
  let results: ContextResult[] = [];
  let defaultContextResult: number | undefined;
  let providerReason: number | undefined;
  let userData: RefusePpdu["userData"] = [];
  while (s.hasMore()) {
    const t = s.peekTag();
    if (t === PROTOCOL_VERSION) protocolVersion = readBitString(s, PROTOCOL_VERSION);
    else if (t === RESPONDING_SELECTOR) respondingSelector = readSelector(s, RESPONDING_SELECTOR);
    else if (t === CONTEXT_RESULT_LIST)
      results = s.sequenceOf(CONTEXT_RESULT_LIST, readContextResult, MAX_CONTEXTS);
    else if (t === DEFAULT_CONTEXT_RESULT)
      defaultContextResult = readInteger(s, DEFAULT_CONTEXT_RESULT, 0, 2);
    else if (t === PROVIDER_REASON) providerReason = readInteger(s, PROVIDER_REASON, 0, 0x7fffffff);
    else if (t === FULLY_ENCODED_DATA) userData = readUserData(s);
    else s.skip();
  }
  return { protocolVersion, respondingSelector, results, defaultContextResult, providerReason, userData };
}

export interface ConnectPpduInput {
  readonly protocolVersion?: BitString | undefined;
  readonly callingSelector: Uint8Array | undefined;
  readonly calledSelector: Uint8Array | undefined;
  readonly contexts: readonly ContextDefinition[];
  readonly userData: readonly UserDataValue[];
}

function writeModeSelector(w: BerWriter): void {
  const m = w.begin(MODE_SELECTOR);
  writeInteger(w, NORMAL_MODE, ctx(0));
  w.end(m);
}

/** CP-type, in libiec61850's element order (`31 { a0 03 80 01 01, a2 { 81, 82, a4, 61 } }`). */
export function encodeConnectPpdu(p: ConnectPpduInput, w: BerWriter = new BerWriter(512)): Uint8Array {
  const set = w.begin(UniversalTag.SET);
  writeModeSelector(w);
  const n = w.begin(NORMAL_MODE_PARAMETERS);
  if (p.protocolVersion) writeBitString(w, p.protocolVersion, PROTOCOL_VERSION);
  if (p.callingSelector) writeOctetString(w, p.callingSelector, CALLING_SELECTOR);
  if (p.calledSelector) writeOctetString(w, p.calledSelector, CALLED_SELECTOR);
  const l = w.begin(CONTEXT_DEFINITION_LIST);
  for (const c of p.contexts) {
    const s = w.begin(UniversalTag.SEQUENCE);
    writeInteger(w, c.id);
    writeKnownOid(w, c.abstractSyntax);
    const ts = w.begin(UniversalTag.SEQUENCE);
    for (const t of c.transferSyntaxes) writeKnownOid(w, t);
    w.end(ts);
    w.end(s);
  }
  w.end(l);
  writeUserData(w, p.userData);
  w.end(n);
  w.end(set);
  return w.view();
}

function writeResults(w: BerWriter, results: readonly ContextResult[]): void {
  const l = w.begin(CONTEXT_RESULT_LIST);
  for (const r of results) {
    const s = w.begin(UniversalTag.SEQUENCE);
    writeInteger(w, r.result, ctx(0));
    if (r.transferSyntax !== undefined) writeKnownOid(w, r.transferSyntax, ctx(1));
    if (r.providerReason !== undefined) writeInteger(w, r.providerReason, ctx(2));
    w.end(s);
  }
  w.end(l);
}

export interface AcceptPpduInput {
  readonly respondingSelector: Uint8Array | undefined;
  readonly results: readonly ContextResult[];
  readonly userData: readonly UserDataValue[];
}

/** CPA-PPDU as libiec61850 sends it (`31 { a0 03 80 01 01, a2 { 83, a5, 61 } }`). */
export function encodeAcceptPpdu(p: AcceptPpduInput, w: BerWriter = new BerWriter(512)): Uint8Array {
  const set = w.begin(UniversalTag.SET);
  writeModeSelector(w);
  const n = w.begin(NORMAL_MODE_PARAMETERS);
  if (p.respondingSelector) writeOctetString(w, p.respondingSelector, RESPONDING_SELECTOR);
  writeResults(w, p.results);
  writeUserData(w, p.userData);
  w.end(n);
  w.end(set);
  return w.view();
}

export interface RefusePpduInput {
  readonly respondingSelector: Uint8Array | undefined;
  readonly results: readonly ContextResult[] | undefined;
  readonly providerReason: number | undefined;
  readonly userData: readonly UserDataValue[];
}

/** Normal-mode CPR-PPDU (`30 { 83, a5, 8a, 61 }`). */
export function encodeRefusePpdu(p: RefusePpduInput, w: BerWriter = new BerWriter(256)): Uint8Array {
  const s = w.begin(UniversalTag.SEQUENCE);
  if (p.respondingSelector) writeOctetString(w, p.respondingSelector, RESPONDING_SELECTOR);
  if (p.results) writeResults(w, p.results);
  if (p.providerReason !== undefined) writeInteger(w, p.providerReason, PROVIDER_REASON);
  if (p.userData.length) writeUserData(w, p.userData);
  w.end(s);
  return w.view();
}
