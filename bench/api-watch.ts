import { request, type Agent } from 'node:https';
import type { ClientRequest } from 'node:http';
import { agentFor, configMap, expect, options } from './api-http.ts';
import type { Endpoint } from './api-server.ts';
import { median, percentile, round, sleep } from './lib/measure.ts';

export interface WatchResult {
  watchers: number;
  updates: number;
  /** Time to open every watch stream (response headers received = registered server-side). */
  connectMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 over updates of the time until the LAST watcher had it. */
  allDeliveredP99Ms: number;
  /** Sum over watchers of updates never received (must be 0). */
  lost: number;
  duplicates: number;
  /** Streams the server ended (or that failed) before the run was over. */
  endedEarly: number;
  errors: string[];
}

interface Stream {
  req?: ClientRequest;
  seen: Uint8Array;
  got: number;
  duplicates: number;
  ended: boolean;
  error?: string;
}

const OBJECTS = 10;
// Same clock in sender and receivers (this process), with sub-millisecond resolution.
const clock = (): number => performance.timeOrigin + performance.now();

/**
 * `watchers` watch streams on the configmaps of `ns`, all from one list's resourceVersion; then
 * `updates` merge patches, one every `intervalMs`, each carrying its sequence number and send
 * time in data. Every stream must see every update exactly once. Latency includes this client's
 * own parsing of the other streams (one event loop reads all of them), as a real fleet would not.
 */
export async function watchBench(e: Endpoint, ns: string, watchers: number, updates: number, intervalMs: number, opened?: () => void): Promise<WatchResult> {
  const rest = agentFor(e, 4);
  const agent = agentFor(e);
  const streams: Stream[] = [];
  const latency = new Float64Array(watchers * updates).fill(NaN);
  try {
    await Promise.all(Array.from({ length: OBJECTS }, (_, i) => expect(e, rest, 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(ns, `w-${i}`))));
    const rv = (JSON.parse((await expect(e, rest, 'GET', `/api/v1/namespaces/${ns}/configmaps`)).body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const path = `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=${rv}`;

    // Open in waves so the listen backlog never overflows (SYN retries would add whole seconds).
    const t0 = performance.now();
    for (let w = 0; w < watchers; w += 100) {
      await Promise.all(Array.from({ length: Math.min(100, watchers - w) }, (_, k) => openStream(e, agent, path, w + k, updates, latency, (s) => (streams[w + k] = s))));
    }
    const connectMs = performance.now() - t0;
    opened?.();

    for (let i = 0; i < updates; i++) {
      const start = performance.now();
      const data = { seq: String(i), sent: String(clock()) };
      await expect(e, rest, 'PATCH', `/api/v1/namespaces/${ns}/configmaps/w-${i % OBJECTS}`, { data }, { 'Content-Type': 'application/merge-patch+json' });
      await sleep(Math.max(0, intervalMs - (performance.now() - start)));
    }
    const deadline = performance.now() + 15_000;
    while (performance.now() < deadline && streams.some((s) => s.got < updates && !s.ended)) await sleep(20);
    return summarize(streams, latency, watchers, updates, connectMs);
  } finally {
    for (const s of streams) s?.req?.destroy();
    agent.destroy();
    rest.destroy();
  }
}

function openStream(e: Endpoint, agent: Agent, path: string, index: number, updates: number, latency: Float64Array, register: (s: Stream) => void): Promise<void> {
  const s: Stream = { seen: new Uint8Array(updates), got: 0, duplicates: 0, ended: false };
  register(s);
  return new Promise((resolve, reject) => {
    const req = request(options(e, agent, 'GET', path), (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${index} → ${res.statusCode}`));
        res.resume();
        return;
      }
      resolve();
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const now = clock();
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) if (line) onEvent(s, line, now, index, updates, latency);
      });
      res.on('end', () => (s.ended = true));
      res.on('error', (err) => {
        s.ended = true;
        s.error ??= err.message;
      });
    });
    req.on('error', (err) => {
      s.ended = true;
      s.error ??= err.message;
      reject(err);
    });
    s.req = req;
    req.end();
  });
}

function onEvent(s: Stream, line: string, now: number, index: number, updates: number, latency: Float64Array): void {
  const ev = JSON.parse(line) as { type: string; object: { data?: { seq?: string; sent?: string }; message?: string } };
  if (ev.type === 'ERROR') {
    s.error ??= `ERROR event: ${ev.object.message}`;
    return;
  }
  const seq = ev.object.data?.seq;
  if (ev.type !== 'MODIFIED' || seq === undefined) return;
  const i = Number(seq);
  if (s.seen[i]) {
    s.duplicates++;
    return;
  }
  s.seen[i] = 1;
  s.got++;
  latency[index * updates + i] = now - Number(ev.object.data!.sent);
}

function summarize(streams: Stream[], latency: Float64Array, watchers: number, updates: number, connectMs: number): WatchResult {
  const all = Array.from(latency).filter((x) => !Number.isNaN(x));
  const perUpdateMax: number[] = [];
  for (let i = 0; i < updates; i++) {
    let max = 0;
    for (let w = 0; w < watchers; w++) max = Math.max(max, latency[w * updates + i] || 0);
    perUpdateMax.push(max);
  }
  const errors = [...new Set(streams.filter((s) => s.error).map((s) => s.error!))];
  return {
    watchers,
    updates,
    connectMs: round(connectMs, 0),
    p50Ms: round(median(all), 2),
    p99Ms: round(percentile(all, 99), 2),
    maxMs: round(Math.max(...perUpdateMax), 2),
    allDeliveredP99Ms: round(percentile(perUpdateMax, 99), 2),
    lost: watchers * updates - all.length,
    duplicates: streams.reduce((n, s) => n + s.duplicates, 0),
    endedEarly: streams.filter((s) => s.ended).length,
    errors,
  };
}
