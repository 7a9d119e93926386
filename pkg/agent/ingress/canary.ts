/**
 * Canary routing as ingress-nginx's annotations describe it: an Ingress annotated
 * `canary: "true"` takes a share of the traffic of the main Ingress with the same host and path.
 * Annotations are read under `nginx.ingress.kubernetes.io/` and, as aliases, `skiff.io/`.
 */
export interface Canary {
  /** Share of requests, out of `weightTotal`, sent to the canary when no header or cookie decides. */
  weight: number;
  weightTotal: number;
  /** A request header that forces the decision: "always" → canary, "never" → main. */
  header?: string;
  /** With `header`: only this header value sends to the canary (others fall through to cookie and weight). */
  headerValue?: string;
  /** A cookie that forces the decision like `header` does ("always" / "never"). */
  cookie?: string;
}

const prefixes = ['nginx.ingress.kubernetes.io/', 'skiff.io/'];

function annotation(a: Record<string, string> | undefined, name: string): string | undefined {
  for (const p of prefixes) {
    const v = a?.[p + name];
    if (v !== undefined) return v.trim();
  }
  return undefined;
}

function integer(v: string | undefined, fallback: number): number {
  if (v === undefined || !/^\d+$/.test(v)) return fallback;
  return Number(v);
}

/** The canary settings of an Ingress's annotations; undefined unless `canary` is "true". */
export function canaryOf(annotations: Record<string, string> | undefined): Canary | undefined {
  if (annotation(annotations, 'canary')?.toLowerCase() !== 'true') return undefined;
  const weightTotal = Math.max(1, integer(annotation(annotations, 'canary-weight-total'), 100));
  const weight = Math.min(weightTotal, integer(annotation(annotations, 'canary-weight'), 0));
  const c: Canary = { weight, weightTotal };
  const header = annotation(annotations, 'canary-by-header');
  if (header) c.header = header.toLowerCase();
  const headerValue = annotation(annotations, 'canary-by-header-value');
  if (header && headerValue) c.headerValue = headerValue;
  const cookie = annotation(annotations, 'canary-by-cookie');
  if (cookie) c.cookie = cookie;
  return c;
}

/** The cookie `name` of a Cookie header, undefined when absent. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Whether a request goes to the canary: the header first, then the cookie, then the weight
 * (`random` in [0, 1): a weight of 20 out of 100 takes the requests drawing below 0.2).
 * `headers` are Node's (lowercased names).
 */
export function useCanary(c: Canary, headers: Record<string, string | string[] | undefined>, random: () => number): boolean {
  if (c.header) {
    const raw = headers[c.header];
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (v !== undefined) {
      if (c.headerValue) {
        if (v === c.headerValue) return true;
      } else if (v === 'always') return true;
      else if (v === 'never') return false;
    }
  }
  if (c.cookie) {
    const v = cookieValue(Array.isArray(headers.cookie) ? headers.cookie.join('; ') : headers.cookie, c.cookie);
    if (v === 'always') return true;
    if (v === 'never') return false;
  }
  return random() * c.weightTotal < c.weight;
}
