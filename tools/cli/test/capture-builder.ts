/** Builds small pcap / pcapng files of Ethernet + IPv4 + TCP frames for the decode tests. */
export interface Segment {
  readonly fromClient: boolean;
  readonly seq: number;
  readonly payload: Uint8Array;
  readonly syn?: boolean;
}

const CLIENT = [127, 0, 0, 1];
const SERVER = [127, 0, 0, 2];

export function ethernetFrame(s: Segment, clientPort = 40000, serverPort = 102): Uint8Array {
  const tcpLen = 20 + s.payload.length;
  const f = new Uint8Array(14 + 20 + tcpLen);
  const dv = new DataView(f.buffer);
  dv.setUint16(12, 0x0800);
  const ip = 14;
  f[ip] = 0x45;
  dv.setUint16(ip + 2, 20 + tcpLen);
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  f.set(s.fromClient ? CLIENT : SERVER, ip + 12);
  f.set(s.fromClient ? SERVER : CLIENT, ip + 16);
  const tcp = ip + 20;
  dv.setUint16(tcp, s.fromClient ? clientPort : serverPort);
  dv.setUint16(tcp + 2, s.fromClient ? serverPort : clientPort);
  dv.setUint32(tcp + 4, s.seq >>> 0);
  f[tcp + 12] = 5 << 4;
  f[tcp + 13] = s.syn ? 0x02 : 0x18;
  f.set(s.payload, tcp + 20);
  return f;
}

export function pcap(frames: readonly Uint8Array[]): Uint8Array {
  const total = 24 + frames.reduce((n, f) => n + 16 + f.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
  let o = 24;
  frames.forEach((f, i) => {
    dv.setUint32(o, 1_700_000_000 + i, true);
    dv.setUint32(o + 8, f.length, true);
    dv.setUint32(o + 12, f.length, true);
    out.set(f, o + 16);
    o += 16 + f.length;
  });
  return out;
}

/** Big-endian pcapng with one SHB, one Ethernet IDB and one EPB per frame. */
export function pcapng(frames: readonly Uint8Array[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  const block = (type: number, body: Uint8Array): void => {
    const len = 12 + Math.ceil(body.length / 4) * 4;
    const b = new Uint8Array(len);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, type);
    dv.setUint32(4, len);
    b.set(body, 8);
    dv.setUint32(len - 4, len);
    blocks.push(b);
  };
  const shb = new Uint8Array(16);
  new DataView(shb.buffer).setUint32(0, 0x1a2b3c4d);
  new DataView(shb.buffer).setUint16(4, 1);
  new DataView(shb.buffer).setBigInt64(8, -1n);
  block(0x0a0d0d0a, shb);
  const idb = new Uint8Array(8);
  new DataView(idb.buffer).setUint16(0, 1);
  block(1, idb);
  for (const f of frames) {
    const body = new Uint8Array(20 + f.length);
    const dv = new DataView(body.buffer);
    dv.setUint32(12, f.length);
    dv.setUint32(16, f.length);
    body.set(f, 20);
    block(6, body);
  }
  const total = blocks.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}
