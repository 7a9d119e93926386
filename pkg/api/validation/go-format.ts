/**
 * How apimachinery's field errors print a bad value (field.Error.ErrorBody): scalars with %v,
 * strings with %q, everything else with Go's %#v. kubectl users paste these messages into
 * searches, so maps and selectors keep Go's spelling (keys sorted, as fmt sorts them).
 */

const q = (s: string) => JSON.stringify(s);

export function goValue(v: unknown): string {
  if (typeof v === 'string') return q(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

/** `map[string]string{"a":"b", "c":"d"}`; `map[string]string(nil)` when absent. */
export function goStringMap(m: unknown): string {
  if (!m || typeof m !== 'object') return 'map[string]string(nil)';
  const entries = Object.entries(m as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[string]string{${entries.map(([k, v]) => `${q(k)}:${q(String(v))}`).join(', ')}}`;
}

/** `[]string{"a", "b"}`; `[]string(nil)` when absent. */
export function goStringSlice(list: unknown): string {
  if (!Array.isArray(list)) return '[]string(nil)';
  return `[]string{${list.map((s) => q(String(s))).join(', ')}}`;
}

/** A metav1.LabelSelector as %#v prints it (the famous "field is immutable" message). */
export function goLabelSelector(sel: unknown): string {
  const s = (sel && typeof sel === 'object' ? sel : {}) as { matchLabels?: unknown; matchExpressions?: unknown };
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions.map((e: { key?: string; operator?: string; values?: unknown }) =>
      `v1.LabelSelectorRequirement{Key:${q(e?.key ?? '')}, Operator:${q(e?.operator ?? '')}, Values:${goStringSlice(e?.values)}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}
