import { connect, type Socket } from 'node:net';
import type { IncomingStream, PortForwardRequest } from '../../api/tunnel/index.ts';
import type { ContainerRuntime } from '../runtime/index.ts';
import { podAddress, refusal } from './target.ts';

/**
 * One forwarded connection: a TCP connection from this host to the pod's address and port, piped
 * both ways through the tunnel stream with each side's end passed on (half-close), so
 * request/response protocols that shut down their sending side work.
 */
export async function servePortForward(runtime: ContainerRuntime, node: string, s: IncomingStream & { request: PortForwardRequest }): Promise<void> {
  const { pod, port } = s.request;
  const ip = await podAddress(runtime, node, pod);
  const sock = await dial(ip, port).catch((err: Error) => {
    throw refusal(500, 'InternalError', `error forwarding port ${port} to pod ${pod.name}_${pod.namespace}(${pod.uid}): dial tcp ${ip}:${port}: ${err.message}`);
  });
  const io = s.accept();
  sock.on('error', (err) => io.destroy(err));
  io.on('error', () => sock.destroy());
  io.on('close', () => sock.destroy());
  sock.on('close', () => {
    if (!io.writableEnded) io.end();
  });
  io.pipe(sock);
  sock.pipe(io);
}

function dial(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, allowHalfOpen: true });
    const timer = setTimeout(() => sock.destroy(new Error('i/o timeout')), 10_000);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.off('error', reject);
      resolve(sock);
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
