import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from './harness.ts';

/** kubectl with only a bearer token (no client certificate from the admin kubeconfig). */
export const withToken = (s: TestServer, token: string, args: string[]) =>
  s.kubectl(['--kubeconfig', '/dev/null', '--server', `https://127.0.0.1:${s.port}`, '--certificate-authority', join(s.dir, 'data', 'server', 'tls', 'ca.crt'), '--token', token, ...args]);

/** POST a JSON body with `kubectl create --raw` (to see whole responses), optionally with a bearer token instead of the admin. */
export function post(s: TestServer, path: string, body: object, token?: string) {
  const file = join(s.dir, `body-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(body));
  const args = ['create', '--raw', path, '-f', file];
  return token ? withToken(s, token, args) : s.kubectl(args);
}

/** Applies YAML (apply sends JSON, unlike `kubectl create <kind>`). */
export const apply = (s: TestServer, yaml: string) => s.kubectl(['apply', '-f', '-'], { input: yaml });

export const tokenFor = (s: TestServer, sa: string, spec: object = {}, ns = 'default') => {
  const r = post(s, `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
  if (r.code !== 0) throw new Error(`TokenRequest failed: ${r.stderr}`);
  return JSON.parse(r.stdout).status.token as string;
};
