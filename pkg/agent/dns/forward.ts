import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';

export interface Upstream {
  address: string;
  port: number;
}

/**
 * Relays a query's bytes to the upstream resolvers in order, over the transport the client used,
 * and returns the first answer's bytes unchanged (same id, same flags, TC included, so a UDP client
 * retries over TCP as it would with the upstream itself). Undefined when none answered in time.
 */
export async function forward(query: Buffer, upstreams: Upstream[], transport: 'udp' | 'tcp', timeoutMs: number): Promise<Buffer | undefined> {
  for (const u of upstreams) {
    const reply = await (transport === 'udp' ? viaUdp(query, u, timeoutMs) : viaTcp(query, u, timeoutMs)).catch(() => undefined);
    if (reply) return reply;
  }
  return undefined;
}

// A socket of its own per query: replies cannot be confused between clients, and an unreachable
// upstream (ICMP port unreachable) fails this query at once instead of waiting for the timeout.
function viaUdp(query: Buffer, u: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket(isIPv6(u.address) ? 'udp6' : 'udp4');
    const done = (b?: Buffer) => {
      clearTimeout(timer);
      sock.close();
      resolve(b);
    };
    const timer = setTimeout(() => done(), timeoutMs);
    sock.on('error', () => done());
    sock.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg);
    });
    sock.connect(u.port, u.address, () => sock.send(query));
  });
}

function viaTcp(query: Buffer, u: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host: u.address, port: u.port });
    let got = Buffer.alloc(0);
    const done = (b?: Buffer) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(b);
    };
    const timer = setTimeout(() => done(), timeoutMs);
    sock.on('error', () => done());
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) done(got.subarray(2, 2 + got.readUInt16BE(0)));
    });
    sock.on('end', () => done());
  });
}
