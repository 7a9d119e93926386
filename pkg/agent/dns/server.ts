import { createSocket, type Socket } from 'node:dgram';
import { createServer, isIPv6, type Server } from 'node:net';
import type { Logger } from '../../util/index.ts';
import { forward, type Upstream } from './forward.ts';
import { answer, type DnsSource } from './records.ts';
import { classIN, DnsFormatError, encodeReply, errorReply, parseQuery, RCode, RType } from './wire.ts';

export interface DnsServerOptions {
  /** Address to listen on, UDP and TCP (the node's pod bridge gateway). */
  address: string;
  port: number;
  /** The cluster domain, e.g. cluster.local. */
  zone: string;
  source: DnsSource;
  /** Where names outside the cluster go; empty: they get SERVFAIL. */
  upstreams: Upstream[];
  log: Logger;
  forwardTimeoutMs?: number;
}

/** Idle TCP connections are closed after this long (RFC 7766 suggests seconds, not minutes). */
const tcpIdleMs = 10_000;

/**
 * The cluster DNS of one node, on UDP and TCP. Cluster names are answered from `source`; other
 * names are forwarded to the upstreams. Any message, however malformed, gets at most one reply
 * and never throws out of a handler.
 */
export class DnsServer {
  private udp?: Socket;
  private tcp?: Server;

  constructor(private readonly o: DnsServerOptions) {}

  async listen(): Promise<void> {
    const { address, port } = this.o;
    const udp = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind({ address, port, exclusive: true }, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    udp.on('error', (err) => this.o.log.warn('cluster DNS UDP socket error', { err: err.message }));
    udp.on('message', (msg, rinfo) => {
      void this.handle(msg, 'udp').then((reply) => {
        if (reply) udp.send(reply, rinfo.port, rinfo.address);
      });
    });
    this.udp = udp;

    const tcp = createServer((sock) => {
      let buf = Buffer.alloc(0);
      sock.setTimeout(tcpIdleMs, () => sock.destroy());
      sock.on('error', () => sock.destroy());
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
          buf = buf.subarray(2 + msg.length);
          void this.handle(msg, 'tcp').then((reply) => {
            if (!reply || sock.destroyed) return;
            const len = Buffer.alloc(2);
            len.writeUInt16BE(reply.length);
            sock.write(Buffer.concat([len, reply]));
          });
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen({ host: address, port, exclusive: true }, () => {
        tcp.off('error', reject);
        resolve();
      });
    }).catch((err: unknown) => {
      udp.close();
      throw err;
    });
    this.tcp = tcp;
  }

  /** The reply to one message (undefined: not even an id to answer to). */
  async handle(msg: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    try {
      const q = parseQuery(msg);
      const maxSize = transport === 'udp' ? q.udpSize : 65_535;
      if (q.opcode !== 0) return encodeReply(q, errorReply(RCode.NOTIMP), maxSize);
      const local = q.question.class === classIN || q.question.class === RType.ANY ? answer(q.question, this.o.zone, this.o.source) : undefined;
      if (local) return encodeReply(q, local, maxSize);
      if (!this.o.upstreams.length) return encodeReply(q, errorReply(RCode.SERVFAIL), maxSize);
      const relayed = await forward(msg, this.o.upstreams, transport, this.o.forwardTimeoutMs ?? 2_000);
      if (relayed) return relayed;
      this.o.log.debug('no upstream resolver answered', { name: q.question.name, upstreams: this.o.upstreams.map((u) => u.address) });
      return encodeReply(q, errorReply(RCode.SERVFAIL), maxSize);
    } catch (err) {
      if (err instanceof DnsFormatError) return err.id === undefined ? undefined : formErr(err.id);
      this.o.log.warn('cluster DNS failed to answer', { err: (err as Error).message });
      return msg.length >= 2 ? headerOnly(msg.readUInt16BE(0), RCode.SERVFAIL) : undefined;
    }
  }

  async close(): Promise<void> {
    this.udp?.close();
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r()));
  }
}

const formErr = (id: number) => headerOnly(id, RCode.FORMERR);

/** A reply with no question section, for messages whose question could not be read. */
function headerOnly(id: number, rcode: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(0x8000 | 0x0080 | rcode, 2);
  return b;
}
