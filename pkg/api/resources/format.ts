/**
 * Cell formatting shared by the tables, after kubectl's printers (pkg/printers/internalversion):
 * the server always renders the wide form, so every cell here is upstream's `Wide: true` value.
 */

/** apimachinery's HumanDuration: 45s, 5m30s, 3h2m, 2d4h, 690d, 3y12d. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

/** translateTimestampSince: the Age column; `<unknown>` for an unset time. */
export function age(timestamp: string | undefined | null, now: Date): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
}

export const none = (v: string | undefined | null) => (v === undefined || v === null || v === '' ? '<none>' : v);

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** labels.FormatLabels: `a=b,c=d` sorted by key, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined | null): string {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => byString(a, b));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** LabelSelectorAsSelector(sel).String(): requirements sorted by key, values sorted; '' when empty. */
export function selectorString(sel: LabelSelector | undefined | null): string {
  if (!sel) return '';
  const reqs: [string, string][] = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort(byString).join(',');
    if (e.operator === 'In') reqs.push([e.key, `${e.key} in (${vals})`]);
    else if (e.operator === 'NotIn') reqs.push([e.key, `${e.key} notin (${vals})`]);
    else if (e.operator === 'Exists') reqs.push([e.key, e.key]);
    else if (e.operator === 'DoesNotExist') reqs.push([e.key, `!${e.key}`]);
  }
  return reqs.sort(([a], [b]) => byString(a, b)).map(([, s]) => s).join(',');
}

/** metav1.FormatLabelSelector: like selectorString, `<none>` when empty. */
export const formatLabelSelector = (sel: LabelSelector | undefined | null) => selectorString(sel) || '<none>';

/** layoutContainerCells: names and images joined with commas ('' when there are none). */
export function containersOf(template: { spec?: { containers?: { name?: string; image?: string }[] } } | undefined): { names: string; images: string } {
  const cs = template?.spec?.containers ?? [];
  return { names: cs.map((c) => c.name ?? '').join(','), images: cs.map((c) => c.image ?? '').join(',') };
}

/** At most `max` items, then ` + N more...`; `<unset>` when empty (discovery printers). */
export function listWithMore(items: string[], max: number, empty = '<unset>'): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown || empty;
}

/** sets.NewString(...).List(): unique and sorted. */
export const sortedUnique = (items: string[]) => [...new Set(items)].sort(byString);

/** helper.GetAccessModesAsString: fixed order, duplicates dropped. */
export function accessModes(modes: string[] | undefined): string {
  const order: [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
  return order.filter(([m]) => (modes ?? []).includes(m)).map(([, s]) => s).join(',');
}

/** A Quantity as printed; a missing one is the zero Quantity, "0". */
export const quantity = (q: unknown) => (q === undefined || q === null || q === '' ? '0' : String(q));

/** The first non-empty of two strings (event sources). */
export const firstNonEmpty = (a: unknown, b: unknown) => (typeof a === 'string' && a ? a : typeof b === 'string' ? b : '');
