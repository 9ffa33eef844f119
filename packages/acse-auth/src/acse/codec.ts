import {
  app,
  BerDecodeError,
  BerReader,
  BerWriter,
  type BitString,
  type Codec,
  ctx,
  ctxC,
  readBitString,
  readInteger,
  readOctetCharString,
  readOid,
  writeBitString,
  writeInteger,
  writeOctetCharString,
} from "@mms/asn1";
import { writeKnownOid } from "@mms/osi";
import { AcseProtocolError } from "../errors";
import type { Aare, Aarq, Abrt, AcseApdu, AeAddress, Rlre, Rlrq } from "./apdu";
import {
  readAeQualifier,
  readApTitle,
  readAuthenticationValue,
  readExplicitInteger,
  readExplicitOid,
  readUserInformation,
  writeAeQualifier,
  writeApTitle,
  writeAuthenticationValue,
  writeExplicitInteger,
  writeExplicitOid,
  writeUserInformation,
} from "./fields";

const AARQ = app(0);
const AARE = app(1);
const RLRQ = app(2);
const RLRE = app(3);
const ABRT = app(4);
const PROTOCOL_VERSION = ctx(0);
const IMPLEMENTATION_INFORMATION = ctx(29);
const USER_INFORMATION = ctxC(30);
const MAX_INVOCATION = 0x7fffffff;

/** Writes the AP-title, AE-qualifier and invocation ids of one side at tags base..base+3. */
function writeAddress(w: BerWriter, base: number, a: AeAddress | undefined): void {
  if (!a) return;
  if (a.apTitle !== undefined) writeApTitle(w, ctxC(base), a.apTitle);
  if (a.aeQualifier !== undefined) writeAeQualifier(w, ctxC(base + 1), a.aeQualifier);
  if (a.apInvocationId !== undefined) writeExplicitInteger(w, ctxC(base + 2), a.apInvocationId);
  if (a.aeInvocationId !== undefined) writeExplicitInteger(w, ctxC(base + 3), a.aeInvocationId);
}

/** Reads the element at tag number `n` into `addr` if it is one of base..base+3; true when it was. */
function readAddressField(
  r: BerReader,
  n: number,
  base: number,
  addr: { -readonly [K in keyof AeAddress]: AeAddress[K] },
): boolean {
  if (n === base) addr.apTitle = readApTitle(r, ctxC(n));
  else if (n === base + 1) addr.aeQualifier = readAeQualifier(r, ctxC(n));
  else if (n === base + 2)
    addr.apInvocationId = readExplicitInteger(r, ctxC(n), -MAX_INVOCATION, MAX_INVOCATION);
  else if (n === base + 3)
    addr.aeInvocationId = readExplicitInteger(r, ctxC(n), -MAX_INVOCATION, MAX_INVOCATION);
  else return false;
  return true;
}

function isEmpty(a: AeAddress): boolean {
  return (
    a.apTitle === undefined &&
    a.aeQualifier === undefined &&
    a.apInvocationId === undefined &&
    a.aeInvocationId === undefined
  );
}

/** AARQ in libiec61850's element order (X.227: a1, a2, a3, a6, a7, 8a, 8b, ac, be). */
export function writeAarq(w: BerWriter, a: Aarq): void {
  const m = w.begin(AARQ);
  if (a.protocolVersion) writeBitString(w, a.protocolVersion, PROTOCOL_VERSION);
  writeExplicitOid(w, ctxC(1), a.applicationContextName);
  writeAddress(w, 2, a.called);
  writeAddress(w, 6, a.calling);
  if (a.senderAcseRequirements) writeBitString(w, a.senderAcseRequirements, ctx(10));
  if (a.mechanismName !== undefined) writeKnownOid(w, a.mechanismName, ctx(11));
  if (a.callingAuthenticationValue) writeAuthenticationValue(w, ctxC(12), a.callingAuthenticationValue);
  if (a.implementationInformation !== undefined)
    writeOctetCharString(w, a.implementationInformation, IMPLEMENTATION_INFORMATION);
  if (a.userInformation) writeUserInformation(w, USER_INFORMATION, a.userInformation);
  w.end(m);
}

function readAarq(s: BerReader): Aarq {
  let protocolVersion: BitString | undefined;
  let applicationContextName: string | undefined;
  const called: { -readonly [K in keyof AeAddress]: AeAddress[K] } = {};
  const calling: { -readonly [K in keyof AeAddress]: AeAddress[K] } = {};
  let senderAcseRequirements: BitString | undefined;
  let mechanismName: string | undefined;
  let callingAuthenticationValue: Aarq["callingAuthenticationValue"];
  let implementationInformation: string | undefined;
  let userInformation: Aarq["userInformation"];
  while (s.hasMore()) {
    const t = s.peekTag();
    const n = t & 0x1fffff;
    if (t === PROTOCOL_VERSION) protocolVersion = readBitString(s, PROTOCOL_VERSION);
    else if (t === ctxC(1)) applicationContextName = readExplicitOid(s, ctxC(1));
    else if (t === ctxC(n) && n >= 2 && n <= 5) readAddressField(s, n, 2, called);
    else if (t === ctxC(n) && n >= 6 && n <= 9) readAddressField(s, n, 6, calling);
    else if (t === ctx(10)) senderAcseRequirements = readBitString(s, ctx(10));
    else if (t === ctx(11)) mechanismName = readOid(s, ctx(11));
    else if (t === ctxC(12)) callingAuthenticationValue = readAuthenticationValue(s, ctxC(12));
    else if (t === IMPLEMENTATION_INFORMATION)
      implementationInformation = readOctetCharString(s, IMPLEMENTATION_INFORMATION);
    else if (t === USER_INFORMATION) userInformation = readUserInformation(s, USER_INFORMATION);
    else s.skip(); // [13] application-context-name-list and later extensions
  }
  if (applicationContextName === undefined) s.fail("truncated", "AARQ without application-context-name");
  return {
    type: "AARQ",
    protocolVersion,
    applicationContextName,
    called: isEmpty(called) ? undefined : called,
    calling: isEmpty(calling) ? undefined : calling,
    senderAcseRequirements,
    mechanismName,
    callingAuthenticationValue,
    implementationInformation,
    userInformation,
  };
}

/** AARE in libiec61850's element order (a1, a2, a3, a4–a7, 88, 89, aa, be). */
export function writeAare(w: BerWriter, a: Aare): void {
  const m = w.begin(AARE);
  if (a.protocolVersion) writeBitString(w, a.protocolVersion, PROTOCOL_VERSION);
  writeExplicitOid(w, ctxC(1), a.applicationContextName);
  writeExplicitInteger(w, ctxC(2), a.result);
  const d = w.begin(ctxC(3));
  writeExplicitInteger(
    w,
    ctxC(a.resultSourceDiagnostic.source === "service-user" ? 1 : 2),
    a.resultSourceDiagnostic.value,
  );
  w.end(d);
  writeAddress(w, 4, a.responding);
  if (a.responderAcseRequirements) writeBitString(w, a.responderAcseRequirements, ctx(8));
  if (a.mechanismName !== undefined) writeKnownOid(w, a.mechanismName, ctx(9));
  if (a.respondingAuthenticationValue) writeAuthenticationValue(w, ctxC(10), a.respondingAuthenticationValue);
  if (a.implementationInformation !== undefined)
    writeOctetCharString(w, a.implementationInformation, IMPLEMENTATION_INFORMATION);
  if (a.userInformation) writeUserInformation(w, USER_INFORMATION, a.userInformation);
  w.end(m);
}

function readAare(s: BerReader): Aare {
  let protocolVersion: BitString | undefined;
  let applicationContextName: string | undefined;
  let result: number | undefined;
  let diagnostic: Aare["resultSourceDiagnostic"] | undefined;
  const responding: { -readonly [K in keyof AeAddress]: AeAddress[K] } = {};
  let responderAcseRequirements: BitString | undefined;
  let mechanismName: string | undefined;
  let respondingAuthenticationValue: Aare["respondingAuthenticationValue"];
  let implementationInformation: string | undefined;
  let userInformation: Aare["userInformation"];
  while (s.hasMore()) {
    const t = s.peekTag();
    const n = t & 0x1fffff;
    if (t === PROTOCOL_VERSION) protocolVersion = readBitString(s, PROTOCOL_VERSION);
    else if (t === ctxC(1)) applicationContextName = readExplicitOid(s, ctxC(1));
    else if (t === ctxC(2)) result = readExplicitInteger(s, ctxC(2), 0, 2);
    else if (t === ctxC(3)) {
      const d = s.enter(ctxC(3));
      const dt = d.peekTag();
      if (dt !== ctxC(1) && dt !== ctxC(2))
        d.fail("unexpected-tag", "result-source-diagnostic must be [1] or [2]");
      diagnostic = {
        source: dt === ctxC(1) ? "service-user" : "service-provider",
        value: readExplicitInteger(d, dt, 0, 0x7fffffff),
      };
      d.expectEnd();
    } else if (t === ctxC(n) && n >= 4 && n <= 7) readAddressField(s, n, 4, responding);
    else if (t === ctx(8)) responderAcseRequirements = readBitString(s, ctx(8));
    else if (t === ctx(9)) mechanismName = readOid(s, ctx(9));
    else if (t === ctxC(10)) respondingAuthenticationValue = readAuthenticationValue(s, ctxC(10));
    else if (t === IMPLEMENTATION_INFORMATION)
      implementationInformation = readOctetCharString(s, IMPLEMENTATION_INFORMATION);
    else if (t === USER_INFORMATION) userInformation = readUserInformation(s, USER_INFORMATION);
    else s.skip();
  }
  if (applicationContextName === undefined) s.fail("truncated", "AARE without application-context-name");
  if (result === undefined) s.fail("truncated", "AARE without result");
  if (diagnostic === undefined) s.fail("truncated", "AARE without result-source-diagnostic");
  return {
    type: "AARE",
    protocolVersion,
    applicationContextName,
    result,
    resultSourceDiagnostic: diagnostic,
    responding: isEmpty(responding) ? undefined : responding,
    responderAcseRequirements,
    mechanismName,
    respondingAuthenticationValue,
    implementationInformation,
    userInformation,
  };
}

function writeRelease(w: BerWriter, tag: number, a: Rlrq | Rlre): void {
  const m = w.begin(tag);
  if (a.reason !== undefined) writeInteger(w, a.reason, ctx(0));
  if (a.userInformation) writeUserInformation(w, USER_INFORMATION, a.userInformation);
  w.end(m);
}

function readRelease(s: BerReader): { reason: number | undefined; userInformation: Rlrq["userInformation"] } {
  let reason: number | undefined;
  let userInformation: Rlrq["userInformation"];
  while (s.hasMore()) {
    const t = s.peekTag();
    if (t === ctx(0)) reason = readInteger(s, ctx(0), 0, 0x7fffffff);
    else if (t === USER_INFORMATION) userInformation = readUserInformation(s, USER_INFORMATION);
    else s.skip();
  }
  return { reason, userInformation };
}

function writeAbrt(w: BerWriter, a: Abrt): void {
  const m = w.begin(ABRT);
  writeInteger(w, a.source, ctx(0));
  if (a.diagnostic !== undefined) writeInteger(w, a.diagnostic, ctx(1));
  if (a.userInformation) writeUserInformation(w, USER_INFORMATION, a.userInformation);
  w.end(m);
}

function readAbrt(s: BerReader): Abrt {
  let source: number | undefined;
  let diagnostic: number | undefined;
  let userInformation: Abrt["userInformation"];
  while (s.hasMore()) {
    const t = s.peekTag();
    if (t === ctx(0)) source = readInteger(s, ctx(0), 0, 1);
    else if (t === ctx(1)) diagnostic = readInteger(s, ctx(1), 0, 0x7fffffff);
    else if (t === USER_INFORMATION) userInformation = readUserInformation(s, USER_INFORMATION);
    else s.skip();
  }
  if (source === undefined) s.fail("truncated", "ABRT without abort-source");
  return { type: "ABRT", source, diagnostic, userInformation };
}

/** The ACSE-1 APDU CHOICE as a `Codec` (ISO 8650-1 / X.227). `decode` throws `BerDecodeError`. */
export const acseApduCodec: Codec<AcseApdu> = {
  encode(a: AcseApdu, w: BerWriter): void {
    switch (a.type) {
      case "AARQ":
        writeAarq(w, a);
        return;
      case "AARE":
        writeAare(w, a);
        return;
      case "RLRQ":
        writeRelease(w, RLRQ, a);
        return;
      case "RLRE":
        writeRelease(w, RLRE, a);
        return;
      case "ABRT":
        writeAbrt(w, a);
        return;
    }
  },
  decode(r: BerReader): AcseApdu {
    const t = r.peekTag();
    if (t === AARQ) return readAarq(r.enter(AARQ));
    if (t === AARE) return readAare(r.enter(AARE));
    if (t === RLRQ) return { type: "RLRQ", ...readRelease(r.enter(RLRQ)) };
    if (t === RLRE) return { type: "RLRE", ...readRelease(r.enter(RLRE)) };
    if (t === ABRT) return readAbrt(r.enter(ABRT));
    if (t === -1) return r.fail("truncated", "empty ACSE APDU");
    return r.fail("unexpected-tag", "not an ACSE APDU");
  },
};

/** Encodes an ACSE APDU into a fresh buffer. */
export function encodeAcseApdu(a: AcseApdu, w: BerWriter = new BerWriter(256)): Uint8Array {
  acseApduCodec.encode(a, w.reset());
  return w.toBytes();
}

/** Decodes one ACSE APDU (no trailing octets); throws `AcseProtocolError` only. */
export function decodeAcseApdu(bytes: Uint8Array): AcseApdu {
  try {
    const r = new BerReader(bytes);
    const a = acseApduCodec.decode(r);
    r.expectEnd();
    return a;
  } catch (e) {
    if (e instanceof BerDecodeError)
      throw new AcseProtocolError("malformed-apdu", `undecodable ACSE APDU: ${e.message}`, { cause: e });
    throw new AcseProtocolError("malformed-apdu", "undecodable ACSE APDU", { cause: e });
  }
}
