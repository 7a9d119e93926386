import type { IncomingMessage } from 'node:http';
import { load, YAMLException } from 'js-yaml';

/**
 * Keys a request body repeats, worded as upstream's strict decoders word them, for
 * fieldValidation to refuse (Strict), warn about (Warn) or ignore. JSON bodies (sigs.k8s.io/json):
 * `duplicate field "spec.paused"`; YAML bodies and apply patches, which upstream reads as YAML
 * (go-yaml): `line 3: key "paused" already set in map`. Call after the body
 * decoded: malformed input yields [].
 */
export function duplicateFields(req: IncomingMessage, raw: Buffer): string[] {
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
  const text = raw.toString('utf8');
  if (type === 'application/apply-patch+yaml' || type.endsWith('yaml')) return yamlDuplicates(text);
  if (type === 'application/json' || type.endsWith('+json') || type === '*/*') return jsonDuplicates(text);
  return [];
}

// go-yaml reports every repeated key; a body with more than this many is reported in part.
const MAX_YAML_DUPLICATES = 20;

/**
 * js-yaml stops at the first repeated key: each one found is renamed to a unique placeholder
 * (same line, so later line numbers hold) and the text parsed again.
 */
export function yamlDuplicates(source: string): string[] {
  const out: string[] = [];
  let text = source;
  while (out.length < MAX_YAML_DUPLICATES) {
    try {
      load(text);
      return out;
    } catch (err) {
      if (!(err instanceof YAMLException) || !err.reason?.startsWith('duplicated mapping key')) return out;
      const mark = err.mark as { line: number; position: number } | undefined;
      if (!mark) return out;
      // The mark sits on the key, or just inside its opening quote.
      const start = text[mark.position - 1] === '"' || text[mark.position - 1] === "'" ? mark.position - 1 : mark.position;
      const token = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:,}\n]*?)\s*:/.exec(text.slice(start))?.[1];
      if (token === undefined) return out;
      out.push(`line ${mark.line + 1}: key ${JSON.stringify(unquote(token))} already set in map`);
      text = `${text.slice(0, start)}"\\0skiff-duplicate-${out.length}"${text.slice(start + token.length)}`;
    }
  }
  return out;
}

function unquote(token: string): string {
  if (token.startsWith('"')) {
    try {
      return JSON.parse(token) as string;
    } catch {
      return token.slice(1, -1);
    }
  }
  return token.startsWith("'") ? token.slice(1, -1).replace(/''/g, "'") : token.trim();
}

type Frame = { kind: 'object'; path: string; keys: Set<string>; key?: string } | { kind: 'array'; path: string; index: number };

/** One pass over (valid) JSON text, tracking the path of every object key. */
export function jsonDuplicates(text: string): string[] {
  const out: string[] = [];
  const stack: Frame[] = [];
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.kind === 'array') return `${top.path}[${top.index}]`;
    return top.path ? `${top.path}.${top.key}` : top.key!;
  };
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === 'object') {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return out;
        }
        top.key = key;
        if (top.keys.has(key)) out.push(`duplicate field ${JSON.stringify(top.path ? `${top.path}.${key}` : key)}`);
        top.keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ kind: 'object', path: childPath(), keys: new Set() });
      expectKey = true;
    } else if (c === '[') {
      stack.push({ kind: 'array', path: childPath(), index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index++;
      else expectKey = true;
    }
  }
  return out;
}
