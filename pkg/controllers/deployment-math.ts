import { createHash } from 'node:crypto';
import type { apps } from '../api/types/index.ts';

/** An int-or-percent (maxSurge/maxUnavailable) of `total`; surge rounds up, unavailable down. */
export function intOrPercent(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) return Number(x) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge and maxUnavailable resolved; never both 0 (upstream then allows 1 unavailable). */
export function surgeAndUnavailable(d: apps.Deployment): { surge: number; unavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  const ru = d.spec?.strategy?.rollingUpdate;
  const surge = intOrPercent(ru?.maxSurge, replicas, true, '25%');
  let unavailable = intOrPercent(ru?.maxUnavailable, replicas, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The pod-template-hash label value: a hash of the pod template (and collisionCount) rendered
 * in the consonant-and-digit alphabet upstream uses for generated names, so it reads like theirs.
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  const digest = createHash('sha256').update(canonical(template)).update(String(collisionCount)).digest();
  let n = digest.readUInt32BE(0);
  let out = '';
  do {
    out += alphabet[n % alphabet.length];
    n = Math.floor(n / alphabet.length);
  } while (n > 0);
  return out;
}

/** JSON with sorted keys, so equal templates hash alike whatever their key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
