/** A metav1.LabelSelector as stored; read defensively, since any stored shape may reach a matcher. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * labels.Selector.Matches for a LabelSelector, as metav1.LabelSelectorAsSelector builds it: an
 * absent (null) selector matches nothing, an empty one everything; an operator upstream would
 * refuse to convert makes the selector match nothing. Keys are looked up as own properties only
 * (a key named `constructor` is a label like any other).
 */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined = {}): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const l = labels ?? {};
  const has = (k: string) => Object.hasOwn(l, k);
  const ml = selector.matchLabels;
  if (ml && typeof ml === 'object') for (const [k, v] of Object.entries(ml)) if (!has(k) || l[k] !== v) return false;
  for (const raw of arr(selector.matchExpressions)) {
    const e = (raw ?? {}) as { key?: unknown; operator?: unknown; values?: unknown };
    const key = String(e.key);
    const values = arr(e.values);
    switch (e.operator) {
      case 'In': if (!has(key) || !values.includes(l[key])) return false; break;
      case 'NotIn': if (has(key) && values.includes(l[key])) return false; break;
      case 'Exists': if (!has(key)) return false; break;
      case 'DoesNotExist': if (has(key)) return false; break;
      default: return false;
    }
  }
  return true;
}
