import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PkiError, ensurePki, pkiFiles, servingSans } from '../../../pkg/api/auth/index.ts';
import { tempDir } from './helpers.ts';

const day = 86_400_000;
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (ms: number) => () => new Date(t0.getTime() + ms);
const host = { hostnames: ['pi-01'], ips: ['192.168.1.20'] };
const serverAuth = '1.3.6.1.5.5.7.3.1';
const clientAuth = '1.3.6.1.5.5.7.3.2';

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('ensurePki', () => {
  it('creates the CA, serving and admin certificates once and then reuses the same bytes', async () => {
    const dir = join(await tempDir(), 'tls');
    const first = await ensurePki(dir, host);
    const second = await ensurePki(dir, host);
    expect(second).toEqual(first);
    expect(await modeOf(dir)).toBe(0o700);
    for (const key of ['caKey', 'serverKey', 'adminKey'] as const) {
      expect(await modeOf(join(dir, pkiFiles[key]))).toBe(0o600);
      expect(await readFile(join(dir, pkiFiles[key]), 'utf8')).toBe(first[key]);
      expect(createPrivateKey(first[key]).asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    }
    for (const cert of ['caCert', 'serverCert', 'adminCert'] as const) {
      expect(await readFile(join(dir, pkiFiles[cert]), 'utf8')).toBe(first[cert]);
    }
  });

  it('issues a 10-year CA named like k3s and one-year leaves for their purposes', async () => {
    const pki = await ensurePki(await tempDir(), { ...host, clock: at(0) });
    const ca = new X509Certificate(pki.caCert);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe(`CN=skiff-ca@${t0.getTime() / 1000}`);
    expect(ca.validToDate.getTime() - t0.getTime()).toBe(3650 * day);

    const server = new X509Certificate(pki.serverCert);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.checkPrivateKey(createPrivateKey(pki.serverKey))).toBe(true);
    expect(server.keyUsage).toEqual([serverAuth]);
    expect(server.validToDate.getTime() - t0.getTime()).toBe(365 * day);
    for (const name of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'pi-01']) {
      expect(server.checkHost(name, { subject: 'never' }), name).toBe(name);
    }
    for (const ip of ['127.0.0.1', '::1', '10.43.0.1', '192.168.1.20']) expect(server.checkIP(ip), ip).toBe(ip);
    expect(server.checkHost('example.com', { subject: 'never' })).toBeUndefined();

    const admin = new X509Certificate(pki.adminCert);
    expect(admin.verify(ca.publicKey)).toBe(true);
    expect(admin.subject.split('\n').sort()).toEqual(['CN=system:admin', 'O=system:masters']);
    expect(admin.keyUsage).toEqual([clientAuth]);
    expect(admin.checkPrivateKey(createPrivateKey(pki.adminKey))).toBe(true);
  });

  it('reissues only the serving certificate when a requested name or IP is missing', async () => {
    const dir = await tempDir();
    const before = await ensurePki(dir, host);
    const after = await ensurePki(dir, { hostnames: ['pi-01', 'pi-01.lan'], ips: ['192.168.1.20', 'fd00::20'] });
    expect(after.caCert).toBe(before.caCert);
    expect(after.caKey).toBe(before.caKey);
    expect(after.adminCert).toBe(before.adminCert);
    expect(after.adminKey).toBe(before.adminKey);
    expect(after.serverCert).not.toBe(before.serverCert);
    expect(after.serverKey).not.toBe(before.serverKey);
    const server = new X509Certificate(after.serverCert);
    expect(server.verify(new X509Certificate(after.caCert).publicKey)).toBe(true);
    expect(server.checkHost('pi-01.lan', { subject: 'never' })).toBe('pi-01.lan');
    expect(server.checkIP('fd00::20')).toBe('fd00::20');
    expect(await readFile(join(dir, pkiFiles.serverCert), 'utf8')).toBe(after.serverCert);
    // A subset of what the certificate already covers needs nothing new.
    expect(await ensurePki(dir, { hostnames: ['pi-01.lan'], ips: [] })).toEqual(after);
  });

  it('renews leaves within 90 days of expiry and keeps the CA', async () => {
    const dir = await tempDir();
    const first = await ensurePki(dir, { ...host, clock: at(0) });
    expect(await ensurePki(dir, { ...host, clock: at(274 * day) })).toEqual(first);
    const renewed = await ensurePki(dir, { ...host, clock: at(276 * day) });
    expect(renewed.caCert).toBe(first.caCert);
    expect(renewed.serverCert).not.toBe(first.serverCert);
    expect(renewed.adminCert).not.toBe(first.adminCert);
    expect(new X509Certificate(renewed.serverCert).validToDate.getTime() - t0.getTime()).toBe((276 + 365) * day);
  });

  it('caps leaf validity at the end of the CA', async () => {
    const dir = await tempDir();
    const first = await ensurePki(dir, { ...host, clock: at(0) });
    const late = await ensurePki(dir, { ...host, clock: at(3400 * day) });
    expect(late.caCert).toBe(first.caCert);
    expect(new X509Certificate(late.serverCert).validToDate).toEqual(new X509Certificate(first.caCert).validToDate);
  });

  it('reissues leaves whose files are damaged, missing or do not match their key', async () => {
    const dir = await tempDir();
    const first = await ensurePki(dir, host);
    await writeFile(join(dir, pkiFiles.serverCert), 'garbage');
    await writeFile(join(dir, pkiFiles.adminKey), first.serverKey);
    const fixed = await ensurePki(dir, host);
    expect(fixed.caCert).toBe(first.caCert);
    expect(fixed.serverCert).not.toBe(first.serverCert);
    expect(fixed.adminCert).not.toBe(first.adminCert);
    expect(new X509Certificate(fixed.adminCert).checkPrivateKey(createPrivateKey(fixed.adminKey))).toBe(true);

    await rm(join(dir, pkiFiles.serverKey));
    const again = await ensurePki(dir, host);
    expect(again.serverKey).not.toBe(fixed.serverKey);
    expect(again.adminCert).toBe(fixed.adminCert);
  });

  it('starts a new CA, and so new leaves, when ca.crt is removed', async () => {
    const dir = await tempDir();
    const first = await ensurePki(dir, host);
    await rm(join(dir, pkiFiles.caCert));
    const next = await ensurePki(dir, host);
    expect(next.caCert).not.toBe(first.caCert);
    const ca = new X509Certificate(next.caCert);
    expect(new X509Certificate(next.serverCert).verify(ca.publicKey)).toBe(true);
    expect(new X509Certificate(next.adminCert).verify(ca.publicKey)).toBe(true);
  });

  it('refuses a CA it cannot use instead of replacing it', async () => {
    const dir = await tempDir();
    const first = await ensurePki(dir, host);
    await rm(join(dir, pkiFiles.caKey));
    await expect(ensurePki(dir, host)).rejects.toThrow(PkiError);
    await writeFile(join(dir, pkiFiles.caKey), first.serverKey);
    await expect(ensurePki(dir, host)).rejects.toThrow(/does not match/);
    await writeFile(join(dir, pkiFiles.caKey), first.caKey);
    await expect(ensurePki(dir, { ...host, clock: () => new Date(Date.now() + 3651 * day) })).rejects.toThrow(/expired/);
    expect(await ensurePki(dir, host)).toEqual(first);
  });
});

describe('servingSans', () => {
  it('adds the host names and IPs to the fixed set, sorting IP literals into IPs and dropping duplicates', () => {
    const sans = servingSans({ hostnames: ['Pi-01', '10.0.0.7', 'localhost', ' '], ips: ['fe80::1%eth0', '127.0.0.1'] });
    expect(sans.dnsNames).toEqual(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'pi-01']);
    expect(sans.ips).toEqual(['127.0.0.1', '::1', '10.43.0.1', '10.0.0.7', 'fe80::1']);
  });
});
