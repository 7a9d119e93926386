import { spawnSync } from 'node:child_process';
import { request, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface Answer {
  status: number;
  body: string;
}

/** One plain HTTP request to the ingress on 127.0.0.1:`port` for `host` (status 0: no answer). */
export function httpGet(port: number, host: string, path: string, opts: { agent?: Agent; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...opts.headers }, agent: opts.agent ?? false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** One HTTPS request with SNI `host`; `ca` given: the certificate must verify against it. */
export function httpsGet(port: number, host: string, path: string, ca?: string): Promise<Answer & { cert?: PeerCertificate }> {
  return new Promise((resolve) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, servername: host, headers: { host }, agent: false, timeout: 5_000, ...(ca ? { ca } : { rejectUnauthorized: false }) }, (res) => {
      const cert = (res.socket as TLSSocket).getPeerCertificate();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim(), cert }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: err.message }));
    req.end();
  });
}

/** A self-signed certificate for `host` made by openssl: PEM files in a temporary dir. */
export function selfSigned(host: string): { dir: string; cert: string; key: string; certPem: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-e2e-ingress-tls-'));
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${host}`,
    '-addext', `subjectAltName=DNS:${host}`, '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { dir, cert, key, certPem: readFileSync(cert, 'utf8'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A Deployment of busybox httpd pods and its Service: /, /api/, /apiv2/ and /static/
 * answers with the pod's name, and /cgi-bin/env with the X-Forwarded headers it received.
 */
export function app(name: string, replicas: number, image: string): string {
  const cgi = String.raw`printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\necho "for=$HTTP_X_FORWARDED_FOR proto=$HTTP_X_FORWARDED_PROTO host=$HTTP_X_FORWARDED_HOST"\n' > /www/cgi-bin/env && chmod +x /www/cgi-bin/env`;
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${image}
        imagePullPolicy: IfNotPresent
        env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        command: [sh, -c, ${JSON.stringify(`mkdir -p /www/api /www/apiv2 /www/static /www/cgi-bin && for d in /www /www/api /www/apiv2 /www/static; do echo $POD_NAME > $d/index.html; done && ${cgi} && exec httpd -f -p 8080 -h /www`)}]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: {app: ${name}}, ports: [{name: http, port: 80, targetPort: http}]}
`;
}
