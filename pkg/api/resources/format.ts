/** kubectl's Age column: 45s, 5m, 3h2m, 2d, 690d (apimachinery's HumanDuration). */
export function age(timestamp: string | undefined, now: Date): string {
  if (!timestamp) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  if (days < 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}


export const none = (v: string | undefined | null) => (v === undefined || v === null || v === '' ? '<none>' : v);

/** `app=web,tier=fe` from a matchLabels map or a LabelSelector. */
export function selectorString(sel: any): string {
  if (!sel) return '<none>';
  const labels: Record<string, string> = sel.matchLabels ?? (sel.matchExpressions ? {} : sel);
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

export function containersOf(template: any): { names: string; images: string } {
  const cs: any[] = template?.spec?.containers ?? [];
  return { names: none(cs.map((c) => c.name).join(',')), images: none(cs.map((c) => c.image).join(',')) };
}
