import { CliError, ExitCode } from "../exit-codes";

/** One captured link-layer frame. */
export interface CapturedFrame {
  /** 1-based frame number, as Wireshark counts. */
  readonly number: number;
  /** Seconds since the epoch (fractional). */
  readonly time: number;
  /** Link-layer type (pcap LINKTYPE_*). */
  readonly linkType: number;
  readonly data: Uint8Array;
}

/** Bounds for capture parsing: a malformed file must not make us loop or allocate without limit. */
export const MAX_FRAMES = 1_000_000;
const MAX_BLOCK = 16 * 1024 * 1024;

function fail(message: string): never {
  throw new CliError(ExitCode.decode, "decode", message);
}

/** True when the bytes start like a pcap or pcapng file. */
export function isCaptureFile(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const m = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  return m === 0x0a0d0d0a || m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1;
}

/** Parses a classic pcap (µs or ns, either byte order) or a pcapng file into frames. */
export function parseCaptureFile(bytes: Uint8Array): CapturedFrame[] {
  if (!isCaptureFile(bytes)) fail("not a pcap or pcapng file (unknown magic number)");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return dv.getUint32(0, false) === 0x0a0d0d0a ? parsePcapng(bytes, dv) : parsePcap(bytes, dv);
}

function parsePcap(bytes: Uint8Array, dv: DataView): CapturedFrame[] {
  const magic = dv.getUint32(0, false);
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  if (bytes.length < 24) fail("pcap: truncated global header");
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  const frames: CapturedFrame[] = [];
  let off = 24;
  while (off < bytes.length) {
    if (off + 16 > bytes.length) fail(`pcap: truncated record header at offset ${off}`);
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    if (incl > MAX_BLOCK || off + 16 + incl > bytes.length)
      fail(`pcap: record at offset ${off} overruns the file`);
    if (frames.length >= MAX_FRAMES) fail(`pcap: more than ${MAX_FRAMES} frames`);
    frames.push({
      number: frames.length + 1,
      time: sec + frac / (nano ? 1e9 : 1e6),
      linkType,
      data: bytes.subarray(off + 16, off + 16 + incl),
    });
    off += 16 + incl;
  }
  return frames;
}

interface Interface {
  readonly linkType: number;
  /** Timestamp units per second. */
  readonly resolution: number;
}

function parsePcapng(bytes: Uint8Array, dv: DataView): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  let interfaces: Interface[] = [];
  let le = true;
  let off = 0;
  while (off < bytes.length) {
    if (off + 12 > bytes.length) fail(`pcapng: truncated block header at offset ${off}`);
    const typeBE = dv.getUint32(off, false);
    if (typeBE === 0x0a0d0d0a) {
      // Section Header Block: the byte-order magic decides the endianness of this section.
      if (off + 12 > bytes.length) fail("pcapng: truncated section header");
      const bom = dv.getUint32(off + 8, false);
      if (bom === 0x1a2b3c4d) le = false;
      else if (bom === 0x4d3c2b1a) le = true;
      else fail(`pcapng: bad byte-order magic at offset ${off}`);
      interfaces = [];
    }
    const type = dv.getUint32(off, le);
    const len = dv.getUint32(off + 4, le);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK || off + len > bytes.length) {
      fail(`pcapng: block at offset ${off} has an invalid length ${len}`);
    }
    const body = off + 8;
    const bodyEnd = off + len - 4;
    if (type === 1) {
      // Interface Description Block: link type, then options (if_tsresol = 9).
      const linkType = dv.getUint16(body, le);
      let resolution = 1e6;
      let o = body + 8;
      while (o + 4 <= bodyEnd) {
        const code = dv.getUint16(o, le);
        const olen = dv.getUint16(o + 2, le);
        if (code === 0) break;
        if (code === 9 && olen >= 1 && o + 5 <= bodyEnd) {
          const v = bytes[o + 4] ?? 6;
          resolution = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        }
        o += 4 + Math.ceil(olen / 4) * 4;
      }
      interfaces.push({ linkType, resolution });
    } else if (type === 6 || type === 2) {
      // Enhanced Packet Block (6) or obsolete Packet Block (2): same layout for what we use.
      if (body + 20 > bodyEnd) fail(`pcapng: truncated packet block at offset ${off}`);
      const ifId = type === 6 ? dv.getUint32(body, le) : dv.getUint16(body, le);
      const iface = interfaces[ifId];
      if (!iface) fail(`pcapng: packet block at offset ${off} names unknown interface ${ifId}`);
      const ts = dv.getUint32(body + 4, le) * 2 ** 32 + dv.getUint32(body + 8, le);
      const cap = dv.getUint32(body + 12, le);
      if (body + 20 + cap > bodyEnd) fail(`pcapng: packet data at offset ${off} overruns its block`);
      pushFrame(frames, ts / iface.resolution, iface.linkType, bytes.subarray(body + 20, body + 20 + cap));
    } else if (type === 3) {
      // Simple Packet Block: interface 0, no timestamp.
      const iface = interfaces[0];
      if (!iface) fail(`pcapng: simple packet block at offset ${off} without an interface`);
      const orig = dv.getUint32(body, le);
      const cap = Math.min(orig, bodyEnd - body - 4);
      pushFrame(frames, 0, iface.linkType, bytes.subarray(body + 4, body + 4 + cap));
    }
    off += len;
  }
  return frames;
}

function pushFrame(frames: CapturedFrame[], time: number, linkType: number, data: Uint8Array): void {
  if (frames.length >= MAX_FRAMES) fail(`pcapng: more than ${MAX_FRAMES} frames`);
  frames.push({ number: frames.length + 1, time, linkType, data });
}
