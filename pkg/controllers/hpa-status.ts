/** Status pieces of the HPA controller: conditions as upstream's setCondition, quantities as DecimalSI. */

export interface HpaCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * Sets one condition in place: appended when new, its transition time moved only when its
 * status changes (so AbleToScale, ScalingActive, ScalingLimited keep the order first set).
 */
export function setCondition(list: HpaCondition[], type: string, status: boolean, reason: string, message: string, now: number): void {
  const value = status ? 'True' : 'False';
  let c = list.find((x) => x.type === type);
  if (!c) {
    c = { type, status: value };
    list.push(c);
    c.lastTransitionTime = stamp(now);
  } else if (c.status !== value) c.lastTransitionTime = stamp(now);
  c.status = value;
  c.reason = reason;
  c.message = message;
}

export const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A milli-unit value as resource.NewMilliQuantity(v, DecimalSI) prints it: `250m`, `2`, `64M`. */
export function milliQuantity(milli: number): string {
  const m = Math.round(milli);
  if (m === 0) return '0';
  if (m % 1000 !== 0) return `${m}m`;
  let v = m / 1000;
  const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  while (i < suffixes.length - 1 && v % 1000 === 0) {
    v /= 1000;
    i++;
  }
  return `${v}${suffixes[i]}`;
}
