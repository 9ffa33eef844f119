import type { CapturedFrame } from "./capture-file";

/** A TCP segment found in a captured frame. */
export interface TcpSegment {
  readonly frame: number;
  readonly time: number;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly seq: number;
  readonly syn: boolean;
  readonly fin: boolean;
  readonly rst: boolean;
  readonly payload: Uint8Array;
}

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;

/** Locates the IP packet inside a link-layer frame; undefined for link types and protocols we skip. */
function ipPacket(f: CapturedFrame): { version: 4 | 6; bytes: Uint8Array } | undefined {
  const d = f.data;
  const u16 = (o: number): number => ((d[o] ?? 0) << 8) | (d[o + 1] ?? 0);
  const byEthertype = (type: number, off: number) =>
    type === ETH_IPV4
      ? { version: 4 as const, bytes: d.subarray(off) }
      : type === ETH_IPV6
        ? { version: 6 as const, bytes: d.subarray(off) }
        : undefined;
  switch (f.linkType) {
    case 1: {
      // Ethernet, possibly with 802.1Q tags.
      let off = 12;
      let type = u16(off);
      while ((type === 0x8100 || type === 0x88a8) && off + 6 <= d.length) {
        off += 4;
        type = u16(off);
      }
      return byEthertype(type, off + 2);
    }
    case 113: // Linux cooked capture v1
      return byEthertype(u16(14), 16);
    case 276: // Linux cooked capture v2
      return byEthertype(u16(0), 20);
    case 0: {
      // BSD loopback: address family in host byte order.
      const fam = d[0] === 0 ? (d[3] ?? 0) : (d[0] ?? 0);
      if (fam === 2) return { version: 4, bytes: d.subarray(4) };
      if (fam === 24 || fam === 28 || fam === 30) return { version: 6, bytes: d.subarray(4) };
      return undefined;
    }
    case 101:
    case 12:
    case 14:
    case 228:
    case 229: {
      const v = (d[0] ?? 0) >> 4;
      return v === 4 || v === 6 ? { version: v, bytes: d } : undefined;
    }
    default:
      return undefined;
  }
}

function ipv4(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

function ipv6(b: Uint8Array, o: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push((((b[o + i] ?? 0) << 8) | (b[o + i + 1] ?? 0)).toString(16));
  return parts.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}

/** Extracts the TCP segment of a frame (IPv4 unfragmented or IPv6 without extension headers). */
export function tcpSegmentOf(f: CapturedFrame): TcpSegment | undefined {
  const ip = ipPacket(f);
  if (!ip) return undefined;
  const b = ip.bytes;
  let tcpStart: number;
  let tcpEnd: number;
  let src: string;
  let dst: string;
  if (ip.version === 4) {
    if (b.length < 20) return undefined;
    const ihl = ((b[0] ?? 0) & 0x0f) * 4;
    const total = ((b[2] ?? 0) << 8) | (b[3] ?? 0);
    const fragOffset = (((b[6] ?? 0) & 0x1f) << 8) | (b[7] ?? 0);
    const moreFragments = ((b[6] ?? 0) & 0x20) !== 0;
    if (b[9] !== 6 || fragOffset !== 0 || moreFragments || ihl < 20) return undefined;
    tcpStart = ihl;
    tcpEnd = Math.min(b.length, total || b.length);
    src = ipv4(b, 12);
    dst = ipv4(b, 16);
  } else {
    if (b.length < 40 || b[6] !== 6) return undefined;
    const plen = ((b[4] ?? 0) << 8) | (b[5] ?? 0);
    tcpStart = 40;
    tcpEnd = Math.min(b.length, 40 + plen);
    src = ipv6(b, 8);
    dst = ipv6(b, 24);
  }
  if (tcpEnd - tcpStart < 20) return undefined;
  const t = b.subarray(tcpStart, tcpEnd);
  const dataOffset = ((t[12] ?? 0) >> 4) * 4;
  if (dataOffset < 20 || dataOffset > t.length) return undefined;
  const flags = t[13] ?? 0;
  return {
    frame: f.number,
    time: f.time,
    src,
    srcPort: ((t[0] ?? 0) << 8) | (t[1] ?? 0),
    dst,
    dstPort: ((t[2] ?? 0) << 8) | (t[3] ?? 0),
    seq: (((t[4] ?? 0) << 24) | ((t[5] ?? 0) << 16) | ((t[6] ?? 0) << 8) | (t[7] ?? 0)) >>> 0,
    syn: (flags & 0x02) !== 0,
    fin: (flags & 0x01) !== 0,
    rst: (flags & 0x04) !== 0,
    payload: t.subarray(dataOffset),
  };
}
