import { BerDecodeError, berToString } from "@mms/asn1";
import { decodeMmsPdu, ERROR_CLASSES } from "@mms/pdu";
import type { BerNode } from "@mms/asn1";
import { child, node, oidText, t, tagHex, text, tlvBytes, uint } from "./ber-nodes";
import type { LayerLine } from "./layer-report";

const AARE_RESULT = ["accepted", "rejected-permanent", "rejected-transient"];
export const ACSE_USER_DIAG: readonly string[] = [
  "null",
  "no-reason-given",
  "application-context-name-not-supported",
  "calling-AP-title-not-recognized",
  "calling-AP-invocation-identifier-not-recognized",
  "calling-AE-qualifier-not-recognized",
  "calling-AE-invocation-identifier-not-recognized",
  "called-AP-title-not-recognized",
  "called-AP-invocation-identifier-not-recognized",
  "called-AE-qualifier-not-recognized",
  "called-AE-invocation-identifier-not-recognized",
  "authentication-mechanism-name-not-recognized",
  "authentication-mechanism-name-required",
  "authentication-failure",
  "authentication-required",
];
export const ABRT_DIAG: readonly string[] = [
  "",
  "no-reason-given",
  "protocol-error",
  "authentication-mechanism-name-not-recognized",
  "authentication-mechanism-name-required",
  "authentication-failure",
  "authentication-required",
];
const MECHANISMS: Record<string, string> = {
  "2.2.3.1": "password",
  "1.0.840.0.1.0.1.1": "IEC 62351-4 certificate",
  "1.2.840.0.1.0.1.1": "IEC 62351-4 certificate (1.2 arc)",
};

/** ACSE APDU (context kind "acse") or a bare MMS PDU (kind "mms"). */
export function acseLines(bytes: Uint8Array, kind: "acse" | "mms"): LayerLine[] {
  if (kind === "mms") return mmsLines(bytes);
  const n = node(bytes);
  if (typeof n === "string") return [{ layer: "ERROR", text: `ACSE: ${n}` }];
  const names: Record<number, string> = { 96: "AARQ", 97: "AARE", 98: "RLRQ", 99: "RLRE", 100: "ABRT" };
  const first = Object.entries(names).find(([k]) => t(Number(k)) === n.tag);
  if (!first) return [{ layer: "ERROR", text: `ACSE: unknown APDU tag ${tagHex(n.tag)}` }];
  const name = first[1];
  const parts: string[] = [name];
  const ctxName = oidText(child(child(n, 0xa1), 0x06));
  if (ctxName && (name === "AARQ" || name === "AARE")) parts.push(`context ${ctxName}`);
  if (name === "AARQ") {
    const called = oidText(child(child(n, 0xa2), 0x06));
    const calling = oidText(child(child(n, 0xa6), 0x06));
    if (called) parts.push(`called-AP-title ${called}`);
    const calledQ = uint(child(child(n, 0xa3), 0x02));
    if (calledQ !== undefined) parts.push(`called-AE-qualifier ${calledQ}`);
    if (calling) parts.push(`calling-AP-title ${calling}`);
    const callingQ = uint(child(child(n, 0xa7), 0x02));
    if (callingQ !== undefined) parts.push(`calling-AE-qualifier ${callingQ}`);
  }
  if (name === "AARE") {
    const result = uint(child(child(n, 0xa2), 0x02));
    parts.push(`result ${result === undefined ? "?" : (AARE_RESULT[result] ?? result)}`);
    const diag = child(n, 0xa3);
    const user = uint(child(child(diag, 0xa1), 0x02));
    const prov = uint(child(child(diag, 0xa2), 0x02));
    if (user !== undefined && user !== 0) parts.push(`diagnostic ${ACSE_USER_DIAG[user] ?? user}`);
    if (prov !== undefined && prov !== 0) parts.push(`provider-diagnostic ${prov}`);
  }
  if (name === "RLRQ" || name === "RLRE") {
    const reason = uint(child(n, 0x80));
    if (reason !== undefined) parts.push(`reason ${reason}`);
  }
  if (name === "ABRT") {
    const src = uint(child(n, 0x80));
    parts.push(`source ${src === 1 ? "acse-service-provider" : "acse-service-user"}`);
    const d = uint(child(n, 0x81));
    if (d !== undefined) parts.push(`diagnostic ${ABRT_DIAG[d] || d}`);
  }
  const mech = oidText(child(n, name === "AARQ" ? 0x8b : 0x89));
  if (mech) parts.push(`mechanism ${MECHANISMS[mech] ?? mech}`);
  const auth = child(n, name === "AARQ" ? 0xac : 0xaa);
  if (auth) parts.push(authSummary(auth));
  const lines: LayerLine[] = [{ layer: "ACSE", text: parts.join(", ") }];
  const ui = child(n, 0xbe);
  for (const ext of ui?.children ?? []) {
    const v = child(ext, 0xa0)?.children?.[0];
    if (v) lines.push(...mmsLines(tlvBytes(bytes, v)));
  }
  return lines;
}

function authSummary(auth: BerNode): string {
  const pw = child(auth, 0x80);
  if (pw) return `authentication-value password (${pw.content?.length ?? 0} characters, not shown)`;
  const ext = child(auth, 0xa2);
  if (ext) return "authentication-value external (certificate-based)";
  return "authentication-value (other)";
}

const PDU_NAMES: Record<number, string> = {
  160: "confirmed-RequestPDU",
  161: "confirmed-ResponsePDU",
  162: "confirmed-ErrorPDU",
  163: "unconfirmed-PDU",
  164: "rejectPDU",
  133: "cancel-RequestPDU",
  134: "cancel-ResponsePDU",
  167: "cancel-ErrorPDU",
  168: "initiate-RequestPDU",
  169: "initiate-ResponsePDU",
  170: "initiate-ErrorPDU",
  139: "conclude-RequestPDU",
  140: "conclude-ResponsePDU",
  173: "conclude-ErrorPDU",
};

/** ISO 9506-2 ConfirmedServiceRequest/Response CHOICE tag numbers. */
const SERVICES: Record<number, string> = {
  0: "status",
  1: "getNameList",
  2: "identify",
  3: "rename",
  4: "read",
  5: "write",
  6: "getVariableAccessAttributes",
  7: "defineNamedVariable",
  11: "defineNamedVariableList",
  12: "getNamedVariableListAttributes",
  13: "deleteNamedVariableList",
  46: "obtainFile",
  63: "getAlarmSummary",
  65: "readJournal",
  72: "fileOpen",
  73: "fileRead",
  74: "fileClose",
  75: "fileRename",
  76: "fileDelete",
  77: "fileDirectory",
};

/** One-line summary and BER dump of an MMS PDU. */
export function mmsLines(bytes: Uint8Array): LayerLine[] {
  const n = node(bytes);
  const tree = berToString(bytes);
  if (typeof n === "string") return [{ layer: "ERROR", text: `MMS: ${n}`, tree }];
  const tag = Object.entries(PDU_NAMES).find(([k]) => t(Number(k)) === n.tag);
  const parts: string[] = [tag ? tag[1] : `unknown MMS PDU ${tagHex(n.tag)}`];
  const o = tag ? Number(tag[0]) : 0;
  if (o === 0xa0 || o === 0xa1) {
    parts.push(`invokeID ${uint(n.children?.[0]) ?? "?"}`);
    const svc = n.children?.find((c, i) => i > 0 && c.tag !== t(0x30));
    if (svc) parts.push(serviceSummary(svc, o === 0xa0));
  } else if (o === 0xa2) {
    parts.push(`invokeID ${uint(child(n, 0x80)) ?? "?"}`);
    parts.push(errorSummary(child(n, 0xa2)));
  } else if (o === 0xa3) {
    const svc = n.children?.[0];
    if (svc && (svc.tag & 0x1fffff) === 0) parts.push(`informationReport${reportName(svc)}`);
  } else if (o === 0xa4) {
    const inv = uint(child(n, 0x80));
    if (inv !== undefined) parts.push(`originalInvokeID ${inv}`);
    const reason = n.children?.find((c) => c.tag !== t(0x80));
    if (reason) parts.push(`reason [${reason.tag & 0x1fffff}] ${uint(reason) ?? "?"}`);
  } else if (o === 0xa8 || o === 0xa9) {
    const size = uint(child(n, 0x80));
    const callingOut = uint(child(n, 0x81));
    const calledOut = uint(child(n, 0x82));
    const nesting = uint(child(n, 0x83));
    parts.push(`max PDU ${size ?? "?"}, outstanding ${callingOut ?? "?"}/${calledOut ?? "?"}`);
    if (nesting !== undefined) parts.push(`nesting ${nesting}`);
  } else if (o === 0xaa || o === 0xad) {
    parts.push(errorSummary(n));
  }
  const lines: LayerLine[] = [{ layer: "MMS", text: parts.join(", "), tree }];
  // Cross-check with the stack's own decoder: what @mms/pdu would refuse is worth knowing.
  try {
    decodeMmsPdu(bytes);
  } catch (e) {
    if (!(e instanceof BerDecodeError)) throw e;
    lines.push({
      layer: "ERROR",
      text: `@mms/pdu refuses this PDU: ${e.code} at offset ${e.offset}: ${e.message}`,
    });
  }
  return lines;
}

function serviceSummary(svc: BerNode, request: boolean): string {
  const num = svc.tag & 0x1fffff;
  const name = SERVICES[num] ?? `service [${num}]`;
  const parts: string[] = [request ? `${name} request` : `${name} response`];
  if (request && (num === 4 || num === 6 || num === 5)) {
    const names = objectNames(svc).slice(0, 4);
    if (names.length) parts.push(names.join(" "));
  }
  if (request && num === 1) {
    const cls = uint(child(child(svc, 0xa0), 0x80));
    const scope = child(svc, 0xa1);
    const dom = text(child(scope, 0x81));
    parts.push(`objectClass ${cls ?? "?"}${dom ? ` domain ${dom}` : ""}`);
  }
  if (!request && num === 1) {
    const list = child(svc, 0xa0)?.children ?? [];
    const more = child(svc, 0x81);
    parts.push(`${list.length} names${more && uint(more) === 0 ? "" : ", moreFollows"}`);
  }
  if (!request && (num === 4 || num === 5)) {
    // Read: listOfAccessResult [1]; write: one result per item ([0] failure, [1] success).
    const results = num === 4 ? (child(svc, 0xa1)?.children ?? []) : (svc.children ?? []);
    const failures = results.filter((r) => r.tag === t(0x80)).length;
    parts.push(
      `${results.length} result${results.length === 1 ? "" : "s"}${failures ? `, ${failures} failed` : ""}`,
    );
  }
  if (!request && num === 2) {
    parts.push([0x80, 0x81, 0x82].map((x) => JSON.stringify(text(child(svc, x)) ?? "")).join(" "));
  }
  return parts.join(" ");
}

function objectNames(n: BerNode, out: string[] = [], depth = 0): string[] {
  if (depth > 12 || out.length > 8) return out;
  for (const c of n.children ?? []) {
    if (c.tag === t(0xa1) && c.children?.length === 2 && c.children.every((x) => x.tag === t(0x1a))) {
      out.push(`${text(c.children[0])}/${text(c.children[1])}`);
    } else if (
      c.tag === t(0x80) &&
      depth > 1 &&
      c.content &&
      c.content.length > 0 &&
      isPrintable(c.content)
    ) {
      out.push(`vmd:${text(c)}`);
    } else objectNames(c, out, depth + 1);
  }
  return out;
}

function isPrintable(b: Uint8Array): boolean {
  for (const x of b) if (x < 0x20 || x > 0x7e) return false;
  return true;
}

function reportName(svc: BerNode): string {
  const spec = svc.children?.[0];
  const listName = child(spec, 0xa1) ?? (spec?.tag === t(0xa1) ? spec : undefined);
  const vmd = text(child(listName, 0x80));
  return vmd ? ` ${vmd}` : "";
}

function errorSummary(se: BerNode | undefined): string {
  const cls = child(se, 0xa0)?.children?.[0];
  if (!cls) return "serviceError ?";
  const c = cls.tag & 0x1fffff;
  const extra = text(child(se, 0x82));
  return `serviceError ${ERROR_CLASSES[c] ?? c} ${uint(cls) ?? "?"}${extra ? ` "${extra}"` : ""}`;
}
