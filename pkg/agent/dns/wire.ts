/**
 * The DNS wire format (RFC 1035, EDNS0 from RFC 6891), only as much as the cluster DNS needs: read
 * a query's header, question and OPT record; write a response with A, AAAA, CNAME, PTR, SRV, NS
 * and SOA records, with name compression, truncated (TC) when it does not fit the client's size.
 * Forwarded queries are relayed as bytes and never decoded, so a small codec of our own is enough;
 * it keeps a dependency (and its transitive parsing of every record type) out of the one binary.
 */

export const RType = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export const RCode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export const classIN = 1;

export interface Question {
  /** As the client spelled it, without the trailing dot. */
  name: string;
  type: number;
  class: number;
}

export interface Query {
  id: number;
  opcode: number;
  recursionDesired: boolean;
  question: Question;
  /** The payload size the client accepts over UDP (512 without EDNS). */
  udpSize: number;
  edns: boolean;
}

export type RecordData =
  | { type: typeof RType.A | typeof RType.AAAA; address: string }
  | { type: typeof RType.CNAME | typeof RType.PTR | typeof RType.NS; target: string }
  | { type: typeof RType.SRV; priority: number; weight: number; port: number; target: string }
  | { type: typeof RType.SOA; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };

export interface ResourceRecord {
  name: string;
  ttl: number;
  data: RecordData;
}

export interface Reply {
  rcode: number;
  authoritative: boolean;
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
}

/** A message that cannot be read as a query: answered FORMERR when at least its id is known. */
export class DnsFormatError extends Error {
  constructor(message: string, readonly id?: number) {
    super(message);
  }
}

/** Reads a query: exactly one question (as every resolver sends), optional OPT in additional. */
export function parseQuery(buf: Buffer): Query {
  if (buf.length < 12) throw new DnsFormatError(`message of ${buf.length} bytes is shorter than a header`);
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if (flags & 0x8000) throw new DnsFormatError('message is a response, not a query', id);
  const [qd, an, ns, ar] = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o)) as [number, number, number, number];
  if (qd !== 1) throw new DnsFormatError(`query has ${qd} questions; exactly one is supported`, id);
  let [name, off] = readName(buf, 12, id);
  if (off + 4 > buf.length) throw new DnsFormatError('question is cut short', id);
  const question = { name, type: buf.readUInt16BE(off), class: buf.readUInt16BE(off + 2) };
  off += 4;
  let udpSize = 512;
  let edns = false;
  for (let i = 0; i < an + ns + ar; i++) {
    [name, off] = readName(buf, off, id);
    if (off + 10 > buf.length) throw new DnsFormatError('record is cut short', id);
    const type = buf.readUInt16BE(off);
    const len = buf.readUInt16BE(off + 8);
    if (type === RType.OPT && i >= an + ns && name === '') {
      edns = true;
      udpSize = Math.max(512, Math.min(buf.readUInt16BE(off + 2), 65_535));
    }
    off += 10 + len;
    if (off > buf.length) throw new DnsFormatError('record data is cut short', id);
  }
  return { id, opcode: (flags >> 11) & 0xf, recursionDesired: (flags & 0x0100) !== 0, question, udpSize, edns };
}

/** Reads a possibly compressed name at `off`; returns it (no trailing dot) and the offset after it. */
function readName(buf: Buffer, off: number, id: number): [string, number] {
  const labels: string[] = [];
  let end = -1;
  let jumps = 0;
  for (;;) {
    if (off >= buf.length) throw new DnsFormatError('name runs past the end of the message', id);
    const len = buf[off]!;
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= buf.length || ++jumps > 64) throw new DnsFormatError('bad compression pointer', id);
      if (end < 0) end = off + 2;
      off = ((len & 0x3f) << 8) | buf[off + 1]!;
      continue;
    }
    if (len & 0xc0) throw new DnsFormatError(`unsupported label type 0x${len.toString(16)}`, id);
    if (len === 0) break;
    if (off + 1 + len > buf.length) throw new DnsFormatError('label runs past the end of the message', id);
    labels.push(buf.toString('latin1', off + 1, off + 1 + len));
    off += 1 + len;
  }
  const name = labels.join('.');
  if (name.length > 253) throw new DnsFormatError('name is longer than 253 characters', id);
  return [name, end < 0 ? off + 1 : end];
}

/**
 * Writes the response to `q`. When it is longer than `maxSize` (UDP), records are dropped from the
 * end of the additional section first; if the answers themselves do not fit, the reply carries
 * only the question with TC set, so the client retries over TCP.
 */
export function encodeReply(q: Query, r: Reply, maxSize = 65_535): Buffer {
  const full = encode(q, r, false);
  if (full.length <= maxSize) return full;
  for (let n = r.additional.length - 1; n >= 0; n--) {
    const b = encode(q, { ...r, additional: r.additional.slice(0, n) }, false);
    if (b.length <= maxSize) return b;
  }
  return encode(q, { ...r, answers: [], authority: [], additional: [] }, true);
}

/** A reply carrying only an rcode (FORMERR, SERVFAIL, NOTIMP, REFUSED). */
export function errorReply(rcode: number): Reply {
  return { rcode, authoritative: false, answers: [], authority: [], additional: [] };
}

function encode(q: Query, r: Reply, truncated: boolean): Buffer {
  const w = new Writer();
  const flags = 0x8000 | ((q.opcode & 0xf) << 11) | (r.authoritative ? 0x0400 : 0) | (truncated ? 0x0200 : 0)
    | (q.recursionDesired ? 0x0100 : 0) | 0x0080 | (r.rcode & 0xf);
  const opt = q.edns ? 1 : 0;
  w.u16(q.id).u16(flags).u16(1).u16(r.answers.length).u16(r.authority.length).u16(r.additional.length + opt);
  w.name(q.question.name).u16(q.question.type).u16(q.question.class);
  for (const rr of [...r.answers, ...r.authority, ...r.additional]) writeRecord(w, rr);
  // EDNS: our own OPT record advertising the same 1232-byte limit common resolvers use.
  if (opt) w.u8(0).u16(RType.OPT).u16(1232).u32(0).u16(0);
  return w.done();
}

function writeRecord(w: Writer, rr: ResourceRecord): void {
  const d = rr.data;
  w.name(rr.name).u16(d.type).u16(classIN).u32(rr.ttl);
  const lenAt = w.reserve16();
  const start = w.length;
  switch (d.type) {
    case RType.A:
      for (const o of d.address.split('.')) w.u8(Number(o));
      break;
    case RType.AAAA:
      w.bytes(ipv6Bytes(d.address));
      break;
    case RType.CNAME:
    case RType.PTR:
    case RType.NS:
      w.name(d.target);
      break;
    case RType.SRV:
      w.u16(d.priority).u16(d.weight).u16(d.port).name(d.target, false);
      break;
    case RType.SOA:
      w.name(d.mname).name(d.rname).u32(d.serial).u32(d.refresh).u32(d.retry).u32(d.expire).u32(d.minimum);
      break;
  }
  w.patch16(lenAt, w.length - start);
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}

/** A growing buffer with RFC 1035 §4.1.4 name compression (pointers to earlier suffixes). */
class Writer {
  private buf = Buffer.alloc(512);
  length = 0;
  private readonly names = new Map<string, number>();

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): this {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.buf.writeUInt16BE(v & 0xffff, this.length);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.buf.writeUInt32BE(v >>> 0, this.length);
    this.length += 4;
    return this;
  }
  bytes(b: Buffer): this {
    this.room(b.length);
    b.copy(this.buf, this.length);
    this.length += b.length;
    return this;
  }
  reserve16(): number {
    this.u16(0);
    return this.length - 2;
  }
  patch16(at: number, v: number): void {
    this.buf.writeUInt16BE(v, at);
  }
  /** SRV targets must not be compressed (RFC 2782); everything else may be. */
  name(name: string, compress = true): this {
    const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.names.get(suffix);
      if (compress && at !== undefined) return this.u16(0xc000 | at);
      if (this.length < 0x3fff) this.names.set(suffix, this.length);
      const label = Buffer.from(labels[i]!, 'latin1');
      this.u8(Math.min(label.length, 63)).bytes(label.subarray(0, 63));
    }
    return this.u8(0);
  }
  done(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
