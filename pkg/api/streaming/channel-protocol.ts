import type { WebSocket } from 'ws';
import { Channel, type TunnelStream } from '../tunnel/index.ts';

/**
 * The remote-command WebSocket subprotocols (apimachinery wsstream, kubelet remotecommand),
 * best first. All share channels 0 stdin, 1 stdout, 2 stderr, 3 error/status; v3 adds 4 resize;
 * v4 makes channel 3 a Status JSON with the exit code (before it, the failure message as text);
 * v5 adds the CLOSE signal `[255, channel]` (stdin EOF). base64 variants carry each message as a
 * text frame: the channel as an ASCII digit, then the payload in base64.
 */
export const channelProtocols = [
  'v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'v3.channel.k8s.io', 'v3.base64.channel.k8s.io',
  'v2.channel.k8s.io', 'v2.base64.channel.k8s.io', 'channel.k8s.io', 'base64.channel.k8s.io',
] as const;

/** The first protocol the client offers that is served; none offered → plain `channel.k8s.io`. */
export function chooseChannelProtocol(offered: string[]): string | undefined {
  if (offered.length === 0) return 'channel.k8s.io';
  return offered.find((p) => (channelProtocols as readonly string[]).includes(p));
}

const version = (p: string) => Number(/^v(\d)\./.exec(p)?.[1] ?? 1);

/**
 * Relays one exec or attach session between a client WebSocket speaking `protocol` and the
 * agent's tunnel stream (which speaks v5's channels). Each side's flow control holds the other:
 * a slow client stops the reading of agent output, a slow agent pauses the client's socket.
 * Ends with the agent's status on channel 3 (or an InternalError if the agent vanished) and a
 * normal close; a client that leaves cancels the stream.
 */
export async function relayChannels(ws: WebSocket, protocol: string, stream: TunnelStream): Promise<void> {
  const v = version(protocol);
  const base64 = protocol.includes('base64');
  let sentStatus = false;

  ws.on('message', (data, isBinary) => {
    const msg = decode(data as Buffer, isBinary, base64);
    if (!msg || msg.length === 0) return;
    const ch = msg[0];
    const ok = ch === Channel.stdin || (ch === Channel.resize && v >= 3) || (ch === Channel.close && v >= 5 && msg[1] === Channel.stdin);
    if (!ok || stream.destroyed || stream.writableEnded) return;
    if (!stream.write(msg)) {
      ws.pause();
      stream.once('drain', () => ws.resume());
    }
  });
  ws.on('close', () => {
    if (!stream.readableEnded) stream.destroy();
  });
  ws.on('error', () => {});

  const send = (ch: number, payload: Buffer) => new Promise<void>((resolve) => {
    if (ws.readyState !== ws.OPEN) return resolve();
    const frame = base64 ? String(ch) + payload.toString('base64') : Buffer.concat([Buffer.of(ch), payload]);
    ws.send(frame, { binary: !base64 }, () => resolve());
  });

  try {
    for await (const chunk of stream) {
      const msg = chunk as Buffer;
      if (msg.length === 0) continue;
      const ch = msg[0]!;
      if (ch === Channel.stdout || ch === Channel.stderr) {
        const sent = send(ch, msg.subarray(1));
        // Keep at most ~1 MiB queued towards a slow client.
        if (ws.bufferedAmount > 1 << 20) await sent;
      } else if (ch === Channel.status) {
        sentStatus = true;
        await sendStatus(msg.subarray(1));
      }
    }
  } catch (err) {
    if (!sentStatus && ws.readyState === ws.OPEN) {
      sentStatus = true;
      await sendStatus(Buffer.from(JSON.stringify({ metadata: {}, status: 'Failure', message: `error: the node agent stopped the session: ${(err as Error).message}`, reason: 'InternalError', code: 500 })));
    }
  }
  if (!stream.destroyed) stream.end();
  if (ws.readyState === ws.OPEN) ws.close(1000);

  async function sendStatus(json: Buffer): Promise<void> {
    if (v >= 4) return send(Channel.status, json);
    // Before v4 the error channel carries only the failure's message, and nothing on success.
    let s: { status?: string; message?: string } = {};
    try {
      s = JSON.parse(json.toString('utf8')) as typeof s;
    } catch {
      return;
    }
    if (s.status !== 'Success') await send(Channel.status, Buffer.from(s.message ?? 'command failed'));
  }
}

function decode(data: Buffer, isBinary: boolean, base64: boolean): Buffer | undefined {
  if (!base64) return isBinary ? data : undefined;
  const text = data.toString('utf8');
  const ch = Number(text[0]);
  if (!Number.isInteger(ch) || ch > 4) return undefined;
  return Buffer.concat([Buffer.of(ch), Buffer.from(text.slice(1), 'base64')]);
}
