import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, startServer, untilServed, type TestServer } from './harness.ts';
import { node } from './fixtures.ts';

// kubectl 1.32's generators send protobuf bodies (client-go typed clients); these run the real
// kubectl against the built server and compare what is stored with what kubectl meant to send.
let s: TestServer;
beforeAll(async () => {
  if (!apiServed) return;
  s = await startServer();
});
afterAll(() => s?.stop());

const get = (args: string[]) => JSON.parse(s.kubectl(['get', ...args, '-o', 'json']).stdout);

/** Drops nulls and empty objects, which the server may default or leave out, so the rest is a subset to match. */
function pruned(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruned);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = pruned(x);
    if (p === null || (typeof p === 'object' && !Array.isArray(p) && Object.keys(p as object).length === 0)) continue;
    out[k] = p;
  }
  return out;
}

/**
 * `kubectl create <args>` for real (protobuf on the wire) after the same command with
 * `--dry-run=client -o json` (the object kubectl builds); the stored object must hold all of it
 * but its status, which is the server's.
 */
function create(args: string[], getArgs: string[]): Record<string, any> {
  const dash = args.includes('--') ? args.indexOf('--') : args.length;
  const dry = s.kubectl(['create', ...args.slice(0, dash), '--dry-run=client', '-o', 'json', ...args.slice(dash)]);
  expect(dry.stderr).toBe('');
  const { status: _status, ...meant } = JSON.parse(dry.stdout);
  const r = s.kubectl(['create', ...args]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/ created\n$/);
  const stored = get(getArgs);
  expect(stored).toMatchObject(pruned(meant) as object);
  if (stored.metadata.namespace) expect(comparable(jsonTwin(meant, getArgs))).toEqual(comparable(stored));
  return stored;
}

/** The same object created from kubectl's JSON in the namespace `json-twin`, read back. */
function jsonTwin(meant: Record<string, any>, getArgs: string[]): Record<string, any> {
  if (s.kubectl(['get', 'ns', 'json-twin']).code !== 0) s.kubectl(['create', 'ns', 'json-twin']);
  const body = structuredClone(meant);
  delete body.metadata.namespace;
  for (const p of body.spec?.ports ?? []) delete p.nodePort; // allocated once per cluster
  const r = s.kubectl(['create', '-f', '-', '-n', 'json-twin'], { input: JSON.stringify(body) });
  expect(r.stderr).toBe('');
  return get([...getArgs.filter((a, i) => a !== '-n' && getArgs[i - 1] !== '-n'), '-n', 'json-twin']);
}

/** What must not differ between two creations of one object: all but identity, time, allocations and status. */
function comparable(obj: Record<string, any>): unknown {
  const text = JSON.stringify(obj).replaceAll(obj.metadata.uid, '<uid>');
  const o = JSON.parse(text);
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'namespace']) delete o.metadata[k];
  delete o.status;
  if (o.kind === 'Service') {
    delete o.spec.clusterIP;
    delete o.spec.clusterIPs;
    for (const p of o.spec.ports ?? []) delete p.nodePort;
  }
  return o;
}

describe.skipIf(!apiServed)(`kubectl create generators (protobuf bodies)${untilServed}`, () => {
  it('sends protobuf, which the server takes and answers in JSON', () => {
    const r = s.kubectl(['create', 'configmap', 'wire', '--from-literal=a=1', '-v=8']);
    expect(r.stdout).toBe('configmap/wire created\n');
    expect(r.stderr).toContain('POST https://127.0.0.1:');
    expect(r.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/);
    expect(r.stderr).toMatch(/Response Status: 201 Created/);
  });

  it('configmap and secrets keep their data, text and binary', () => {
    const bin = join(s.dir, 'blob.bin');
    writeFileSync(bin, Buffer.from([0, 1, 2, 0xfe, 0xff]));
    const cm = create(['configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two words', `--from-file=blob=${bin}`], ['cm', 'cfg']);
    expect(cm.data).toEqual({ a: '1', b: 'two words' });
    expect(cm.binaryData).toEqual({ blob: 'AAEC/v8=' });

    const sec = create(['secret', 'generic', 'creds', '--from-literal=user=admin', '--type=Opaque'], ['secret', 'creds']);
    expect(sec).toMatchObject({ type: 'Opaque', data: { user: Buffer.from('admin').toString('base64') } });
    const reg = create(['secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'], ['secret', 'reg']);
    expect(reg.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(Buffer.from(reg.data['.dockerconfigjson'], 'base64').toString()).auths['r.example']).toMatchObject({ username: 'u', password: 'p' });
  });

  it('namespace, serviceaccount and quota', () => {
    expect(create(['namespace', 'team-a'], ['ns', 'team-a']).status.phase).toBe('Active');
    expect(create(['serviceaccount', 'robot', '-n', 'team-a'], ['sa', 'robot', '-n', 'team-a']).metadata.namespace).toBe('team-a');
    // In its own namespace: quota admission would make the later pods in default name their requests.
    const q = create(['quota', 'q1', '-n', 'team-a', '--hard=cpu=1,memory=1G,pods=2', '--scopes=NotTerminating'], ['quota', 'q1', '-n', 'team-a']);
    expect(q.spec).toEqual({ hard: { cpu: '1', memory: '1G', pods: '2' }, scopes: ['NotTerminating'] });
  });

  it('deployment: replicas, selector and template containers, with the server defaults', () => {
    const d = create(['deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80'], ['deploy', 'web']);
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(d.spec.template.spec.containers).toMatchObject([{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent' }]);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    // replicas 0 is a pointer set to zero: kept, not defaulted to 1.
    expect(create(['deployment', 'idle', '--image=nginx', '--replicas=0'], ['deploy', 'idle']).spec.replicas).toBe(0);
  });

  it('services: ports with named and numbered target ports', () => {
    const svc = create(['service', 'clusterip', 'api', '--tcp=80:8080', '--tcp=443:https'], ['svc', 'api']);
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual({ app: 'api' });
    expect(svc.spec.ports).toEqual([
      { name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: '443-https', port: 443, targetPort: 'https', protocol: 'TCP' },
    ]);
    expect(svc.spec.clusterIP).toMatch(/^10\.43\./);
    const np = create(['service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'], ['svc', 'np']);
    expect(np.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, nodePort: 30080 });
    const headless = create(['service', 'clusterip', 'hl', '--clusterip=None', '--tcp=80'], ['svc', 'hl']);
    expect(headless.spec.clusterIP).toBe('None');
  });

  it('job, cronjob and a job from the cronjob', () => {
    const job = create(['job', 'once', '--image=busybox', '--', 'echo', 'hi'], ['job', 'once']);
    expect(job.spec.template.spec).toMatchObject({ restartPolicy: 'Never', containers: [{ name: 'once', image: 'busybox', command: ['echo', 'hi'] }] });
    expect(job.spec.backoffLimit).toBe(6);
    const cj = create(['cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'], ['cronjob', 'tick']);
    expect(cj.spec.schedule).toBe('*/5 * * * *');
    expect(cj.spec.jobTemplate.spec.template.spec).toMatchObject({ restartPolicy: 'OnFailure', containers: [{ name: 'tick', command: ['date'] }] });
    // --from copies the cronjob's whole template back over protobuf, owner reference included.
    const manual = create(['job', 'tick-now', '--from=cronjob/tick'], ['job', 'tick-now']);
    expect(manual.metadata.annotations).toEqual({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(manual.metadata.ownerReferences).toMatchObject([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: cj.metadata.uid, controller: true }]);
    expect(manual.spec.template.spec.containers[0].command).toEqual(['date']);
  });

  it('RBAC: roles with rules, bindings with subjects and role refs', () => {
    const role = create(['role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=web'], ['role', 'reader']);
    expect(role.rules).toEqual([
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] },
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] },
    ]);
    const rb = create(['rolebinding', 'reader', '--role=reader', '--serviceaccount=team-a:robot', '--user=ann', '--group=devs'], ['rolebinding', 'reader']);
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    expect(rb.subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'ann' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
      { kind: 'ServiceAccount', name: 'robot', namespace: 'team-a' },
    ]);
    const cr = create(['clusterrole', 'node-view', '--verb=get', '--resource=nodes', '--non-resource-url=/healthz'], ['clusterrole', 'node-view']);
    expect(cr.rules).toEqual([{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }]);
    const agg = create(['clusterrole', 'agg', '--aggregation-rule=team=a'], ['clusterrole', 'agg']);
    expect(agg.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { team: 'a' } }] });
    const crb = create(['clusterrolebinding', 'node-view', '--clusterrole=node-view', '--user=bob'], ['clusterrolebinding', 'node-view']);
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-view' });
    expect(crb.subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }]);
  });

  it('pdb with an int and with a percentage, and an ingress', () => {
    const pdb = create(['poddisruptionbudget', 'web', '--selector=app=web', '--min-available=1'], ['pdb', 'web']);
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    const pct = create(['pdb', 'web-pct', '--selector=app=web,tier in (a,b)', '--max-unavailable=50%'], ['pdb', 'web-pct']);
    expect(pct.spec).toEqual({ maxUnavailable: '50%', selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } });

    const ing = create(['ingress', 'site', '--class=traefik', '--rule=foo.com/bar=api:80', '--rule=foo.com/*=api:https,tls=cert'], ['ingress', 'site']);
    expect(ing.spec.ingressClassName).toBe('traefik');
    expect(ing.spec.rules).toEqual([{
      host: 'foo.com',
      http: {
        paths: [
          { path: '/bar', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 80 } } } },
          { path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'https' } } } },
        ],
      },
    }]);
    expect(ing.spec.tls).toEqual([{ hosts: ['foo.com'], secretName: 'cert' }]);
  });

  it('priorityclass: the system classes exist, a new class sets the priority of pods naming it', () => {
    const pc = create(['priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'], ['priorityclass', 'high']);
    expect(pc).toMatchObject({ value: 1000, description: 'important', preemptionPolicy: 'Never' });
    expect(pc.globalDefault).toBeFalsy();
    const rows = s.kubectl(['get', 'pc', '--no-headers']).stdout;
    expect(rows).toMatch(/^high\s+1000\s+false\s+\S+\s+Never$/m);
    expect(rows).toMatch(/^system-cluster-critical\s+2000000000\s+false\s+\S+\s+PreemptLowerPriority$/m);
    expect(rows).toMatch(/^system-node-critical\s+2000001000\s+false\s+/m);
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: prio, namespace: default}\nspec: {priorityClassName: high, containers: [{name: c, image: busybox}]}\n`;
    expect(s.kubectl(['create', '--dry-run=server', '-o', 'jsonpath={.spec.priority} {.spec.preemptionPolicy}', '-f', '-'], { input: pod }).stdout).toBe('1000 Never');
    const bad = s.kubectl(['create', '--dry-run=server', '-f', '-'], { input: pod.replace('high', 'missing') });
    expect(bad.stderr).toContain('pods "prio" is forbidden: no PriorityClass with name missing was found');
  });

  it('auth can-i, can-i --list and whoami send their reviews as protobuf', () => {
    const can = s.kubectl(['auth', 'can-i', 'create', 'pods', '-n', 'team-a', '-v=8']);
    expect(can.stderr).toMatch(/POST https:\/\/[^ ]+\/apis\/authorization\.k8s\.io\/v1\/selfsubjectaccessreviews/);
    expect(can.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/);
    expect(can.stdout).toBe('yes\n');
    expect(s.kubectl(['auth', 'can-i', 'get', 'pods', '--subresource=log']).stdout).toBe('yes\n');
    expect(s.kubectl(['auth', 'can-i', '--list']).stdout).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    const who = s.kubectl(['auth', 'whoami', '-o', 'json']);
    expect(who.stderr).toBe('');
    expect(JSON.parse(who.stdout).status.userInfo).toMatchObject({ username: 'system:admin', groups: expect.arrayContaining(['system:masters']) });
  });

  it('autoscale, create token, and drain with evictions and with protobuf DeleteOptions', () => {
    const a = s.kubectl(['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=60']);
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
    const hpa = get(['hpa.v2.autoscaling', 'web']);
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 });

    const token = s.kubectl(['create', 'token', 'robot', '-n', 'team-a', '--duration=10m']);
    expect(token.stderr).toBe('');
    expect(token.stdout.trim().split('.')).toHaveLength(3);

    expect(s.kubectl(['create', '-f', '-'], { input: node('n1') }).code).toBe(0);
    const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
    expect(s.kubectl(['create', '-f', '-'], { input: pod('p1') }).code).toBe(0);
    const evict = s.kubectl(['drain', 'n1', '--force', '--grace-period=0', '--timeout=30s', '-v=6']);
    expect(evict.stderr).toMatch(/POST https:\/\/[^ ]+\/api\/v1\/namespaces\/default\/pods\/p1\/eviction 201 Created/);
    expect(evict.stdout).toContain('node/n1 drained');
    expect(s.kubectl(['uncordon', 'n1']).code).toBe(0);
    expect(s.kubectl(['create', '-f', '-'], { input: pod('p2') }).code).toBe(0);
    const del = s.kubectl(['drain', 'n1', '--force', '--grace-period=0', '--disable-eviction', '--timeout=30s']);
    expect(del.stdout).toContain('pod/p2 deleted');
    expect(s.kubectl(['get', 'pod', 'p2']).stderr).toContain('NotFound');
  });
});
