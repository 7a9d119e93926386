import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KubeconfigError, ensurePki, kubeconfig, readKubeconfig, writeKubeconfig } from '../../../pkg/api/auth/index.ts';
import { tempDir } from './helpers.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const server = 'https://127.0.0.1:6443';

describe('kubeconfig', () => {
  it('writes one cluster, user and context named default, as k3s does', async () => {
    const pki = await ensurePki(await tempDir(), { hostnames: [], ips: [] });
    const text = kubeconfig({ server, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
    expect(load(text)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'default', cluster: { server, 'certificate-authority-data': b64(pki.caCert) } }],
      contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
      'current-context': 'default',
      preferences: {},
      users: [{ name: 'default', user: { 'client-certificate-data': b64(pki.adminCert), 'client-key-data': b64(pki.adminKey) } }],
    });
  });

  it('carries a bearer token under a chosen name', () => {
    const doc = load(kubeconfig({ server, caCert: 'CA', token: 'abc', name: 'skiff' })) as { users: unknown; 'current-context': string };
    expect(doc['current-context']).toBe('skiff');
    expect(doc.users).toEqual([{ name: 'skiff', user: { token: 'abc' } }]);
  });
});

describe('writeKubeconfig', () => {
  it('creates the directories and writes atomically with mode 0600, also over a wider file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'etc', 'skiff', 'skiff.yaml');
    await writeKubeconfig(path, 'first\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await writeFile(path, 'old', { mode: 0o644 });
    await writeKubeconfig(path, kubeconfig({ server, caCert: 'CA', token: 't' }));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(readKubeconfig(path).token).toBe('t');
    expect(await readdir(join(dir, 'etc', 'skiff'))).toEqual(['skiff.yaml']);
  });

  it('honours an explicit mode, like k3s --write-kubeconfig-mode', async () => {
    const path = join(await tempDir(), 'k.yaml');
    await writeKubeconfig(path, 'x\n', { mode: 0o644 });
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });
});

describe('readKubeconfig', () => {
  it('round-trips what kubeconfig() wrote', async () => {
    const dir = await tempDir();
    const pki = await ensurePki(dir, { hostnames: [], ips: [] });
    const path = join(dir, 'kube', 'config');
    await writeKubeconfig(path, kubeconfig({ server, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey }));
    expect(readKubeconfig(path)).toEqual({ server, caCert: pki.caCert, clientCert: pki.adminCert, clientKey: pki.adminKey });
    await writeKubeconfig(path, kubeconfig({ server, caCert: pki.caCert, token: 'tok' }));
    expect(readKubeconfig(path)).toEqual({ server, caCert: pki.caCert, token: 'tok' });
  });

  it('follows current-context and reads file references relative to the kubeconfig', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'certs'));
    await writeFile(join(dir, 'certs', 'ca.crt'), 'CA PEM');
    await writeFile(join(dir, 'certs', 'me.crt'), 'CERT PEM');
    await writeFile(join(dir, 'me.key'), 'KEY PEM');
    await writeFile(join(dir, 'tok'), 'file-token\n');
    const yaml = `
apiVersion: v1
kind: Config
current-context: work
clusters:
- name: home
  cluster: { server: 'https://home:6443', certificate-authority-data: ${b64('HOME CA')} }
- name: office
  cluster: { server: 'https://office:6443', certificate-authority: certs/ca.crt }
users:
- name: me
  user: { client-certificate: ./certs/me.crt, client-key: ${join(dir, 'me.key')}, tokenFile: tok }
contexts:
- name: home
  context: { cluster: home, user: me }
- name: work
  context: { cluster: office, user: me, namespace: dev }
`;
    await writeFile(join(dir, 'config'), yaml);
    expect(readKubeconfig(join(dir, 'config'))).toEqual({
      server: 'https://office:6443',
      caCert: 'CA PEM',
      clientCert: 'CERT PEM',
      clientKey: 'KEY PEM',
      token: 'file-token',
    });
  });

  it('says what is missing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'config');
    const cases: [string, RegExp][] = [
      ['apiVersion: v1\nkind: Config\n', /no current-context/],
      ['current-context: x\ncontexts: []\n', /context "x" not found/],
      ['current-context: x\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nclusters: []\n', /cluster "c" of context "x" not found/],
      ['current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\nclusters: [{name: c, cluster: {server: "https://h"}}]\n', /no certificate-authority/],
      ['- just a list\n', /not a kubeconfig/],
    ];
    for (const [text, message] of cases) {
      await writeFile(path, text);
      expect(() => readKubeconfig(path)).toThrow(KubeconfigError);
      expect(() => readKubeconfig(path)).toThrow(message);
    }
  });
});
