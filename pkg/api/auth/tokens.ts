import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { UserInfo } from '../request.ts';
import { readIfExists, writeFileAtomic } from './files.ts';

/** One line of a static token file: `token,user,uid,"group1,group2"` (kube-apiserver's `--token-auth-file`). */
export interface TokenEntry {
  token: string;
  user: UserInfo;
}

/**
 * Makes sure `path` exists, creating it (mode 0600, parent directories too) with one random
 * admin token: `<token>,system:admin,system:admin,"system:masters"`. An existing file is never
 * rewritten. Returns the first token of the file, which after creation is the admin token.
 */
export async function ensureTokenFile(path: string): Promise<string> {
  const existing = await readIfExists(path);
  if (existing !== undefined) {
    const first = parseTokenFile(existing)[0];
    if (!first) throw new Error(`token file ${path} holds no valid token line`);
    return first.token;
  }
  const token = randomBytes(32).toString('hex');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, `${token},system:admin,system:admin,"system:masters"\n`, 0o600);
  return token;
}

/**
 * Parses a static token file. Like kube-apiserver: CSV, at least three columns, the optional
 * fourth is a comma-separated group list (quoted). Unlike it, lines that do not parse (fewer
 * columns, empty token or user) and `#` comment lines are skipped instead of failing the whole
 * file, since the file is re-read while the server runs.
 */
export function parseTokenFile(text: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const fields = parseCsvLine(line);
    if (!fields || fields.length < 3) continue;
    const [token, name, uid, groups = ''] = fields.map((f) => f.trim());
    if (!token || !name) continue;
    const groupList = groups.split(',').map((g) => g.trim()).filter(Boolean);
    entries.push({ token, user: { name, uid: uid || undefined, groups: groupList } });
  }
  return entries;
}

// RFC 4180 fields on one line: quoted fields may hold commas and doubled quotes.
function parseCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++;
  }
}

/**
 * Token lookups against a file that is re-read whenever it changes (inode, size or mtime), so
 * operators can add or revoke tokens without a restart. The file is stat'ed on each lookup —
 * one cheap syscall, and only for bearer-authenticated requests. A missing or unreadable file
 * means no tokens. Lookups compare SHA-256 digests with timingSafeEqual against every entry,
 * so timing reveals neither which entry matched nor how much of a token was right.
 */
export class TokenTable {
  private version = '';
  private entries: { digest: Buffer; user: UserInfo }[] = [];

  constructor(private readonly path: string) {}

  lookup(token: string): UserInfo | undefined {
    this.refresh();
    const digest = sha256(token);
    let found: UserInfo | undefined;
    for (const entry of this.entries) {
      // Later lines win, as in kube-apiserver.
      if (timingSafeEqual(entry.digest, digest)) found = entry.user;
    }
    return found;
  }

  private refresh(): void {
    let version: string;
    try {
      const st = statSync(this.path, { bigint: true });
      version = `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch {
      version = 'absent';
    }
    if (version === this.version) return;
    let text = '';
    try {
      if (version !== 'absent') text = readFileSync(this.path, 'utf8');
    } catch {
      // Vanished between stat and read: treat as absent and look again next time.
      version = 'absent';
    }
    this.version = version;
    this.entries = parseTokenFile(text).map((e) => ({ digest: sha256(e.token), user: e.user }));
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
