import { describe, expect, it } from 'vitest';
import { container, def, deployments, invalidCreate, namespaces, pods, realCluster, services, workload } from './helpers.ts';

// 422 Invalid for the mistakes people make, with upstream's field paths and messages.

const labelMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const dns1035Msg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const pod = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { containers: [container()], ...spec } });

describe('names', () => {
  it('checks each kind against its own name rule', async () => {
    const c = await realCluster();
    expect(await invalidCreate(c, pods, pod('Web_1'))).toEqual({
      code: 422, reason: 'Invalid', kind: 'Pod', group: undefined, message: `Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": ${subdomainMsg}`,
      causes: [`metadata.name: Invalid value: "Web_1": ${subdomainMsg}`],
    });
    expect((await invalidCreate(c, namespaces, { metadata: { name: 'a.b' } })).causes).toEqual([`metadata.name: Invalid value: "a.b": ${labelMsg}`]);
    expect((await invalidCreate(c, services, { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } })).causes).toEqual([`metadata.name: Invalid value: "1web": ${dns1035Msg}`]);
    expect((await invalidCreate(c, def('rbac.authorization.k8s.io', 'v1', 'clusterroles'), { metadata: { name: 'a/b' } })).causes).toEqual(["metadata.name: Invalid value: \"a/b\": may not contain '/'"]);
    await c.create(def('rbac.authorization.k8s.io', 'v1', 'clusterroles'), undefined, { metadata: { name: 'system:controller:x' } });
    expect((await invalidCreate(c, pods, pod('x'.repeat(254)))).causes[0]).toBe(`metadata.name: Invalid value: "${'x'.repeat(254)}": must be no more than 253 characters`);
    expect((await invalidCreate(c, pods, { metadata: { generateName: 'Web-' }, spec: { containers: [container()] } })).causes[0]).toBe(`metadata.generateName: Invalid value: "Web-": ${subdomainMsg}`);
  });

  it('limits CronJob names to 52 characters', async () => {
    const c = await realCluster();
    const name = 'n'.repeat(53);
    const r = await invalidCreate(c, def('batch', 'v1', 'cronjobs'), { metadata: { name }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } } } });
    expect(r.causes).toEqual([`metadata.name: Invalid value: "${name}": must be no more than 52 characters`]);
  });
});

describe('labels and annotations', () => {
  it('reports key and value problems separately, as upstream', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, def('', 'v1', 'configmaps'), { metadata: { name: 'cm', labels: { 'bad key': 'v', 'example.com/ok': 'x'.repeat(64), '-a': 'b' }, annotations: { 'Example.COM/Ok': 'v', 'a/b/c': 'v' } } });
    expect(r.causes).toEqual([
      "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      `metadata.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
      "metadata.labels: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
  });

  it('limits annotations to 256 KiB in total', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, def('', 'v1', 'configmaps'), { metadata: { name: 'cm', annotations: { a: 'x'.repeat(262144) } } });
    expect(r.causes).toEqual(['metadata.annotations: Too long: must have at most 262144 bytes']);
  });
});

describe('pod specs', () => {
  it('requires containers, names and images', async () => {
    const c = await realCluster();
    expect((await invalidCreate(c, pods, { metadata: { name: 'p' }, spec: {} })).causes).toEqual(['spec.containers: Required value']);
    const r = await invalidCreate(c, pods, pod('p', { containers: [{ name: 'Web' }, { image: 'nginx' }, { name: 'c', image: 'x' }, { name: 'c', image: 'x' }] }));
    expect(r.causes).toEqual([
      `spec.containers[0].name: Invalid value: "Web": ${labelMsg}`, 'spec.containers[0].image: Required value', 'spec.containers[1].name: Required value',
      'spec.containers[3].name: Duplicate value: "c"',
    ]);
  });

  it('checks ports, policies and volume mounts', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, pods, pod('p', {
      restartPolicy: 'Sometimes', dnsPolicy: 'Custom',
      containers: [container({ imagePullPolicy: 'Maybe', ports: [{ containerPort: 70000 }, { name: 'HTTP', containerPort: 80, protocol: 'ICMP' }, { containerPort: 0 }], volumeMounts: [{ name: 'data', mountPath: '/d' }] })],
    }));
    expect(r.causes).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[2].containerPort: Required value',
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
      'spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"',
    ]);
  });

  it('checks env sources as ValidateEnv and ValidateEnvFrom do, so the agent never gets one it cannot resolve', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, pods, pod('p', {
      containers: [container({
        env: [
          { name: 'A=B', value: 'x' },
          { name: 'F', valueFrom: { fieldRef: {} } },
          { name: 'G', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
          { name: 'R', valueFrom: { resourceFieldRef: {} } },
          { name: 'S', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } },
          { name: 'C', valueFrom: { configMapKeyRef: {} } },
          { name: 'K', valueFrom: { secretKeyRef: { name: 'sec', key: 'a b' } } },
          { name: 'N', valueFrom: {} },
          { name: 'V', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'L', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        ],
        envFrom: [{ configMapRef: {} }, {}, { prefix: 'P_', secretRef: { name: 'sec' } }],
      })],
    }));
    const e = 'spec.containers[0].env';
    expect(r.causes).toEqual([
      `${e}[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      `${e}[1].valueFrom.fieldRef.fieldPath: Required value`,
      `${e}[2].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"`,
      `${e}[3].valueFrom.resourceFieldRef.resource: Required value`,
      `${e}[4].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"`,
      `${e}[5].valueFrom.configMapKeyRef.name: Invalid value: "": ${subdomainMsg}`,
      `${e}[5].valueFrom.configMapKeyRef.key: Required value`,
      `${e}[6].valueFrom.secretKeyRef.key: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      `${e}[7].valueFrom: Invalid value: "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``,
      `${e}[8].valueFrom: Invalid value: "": may not be specified when \`value\` is not empty`,
      'spec.containers[0].envFrom[0].configMapRef.name: Required value',
      'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ]);
  });

  it('checks the volume sources the agent writes: relative item paths without .., modes, names', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, pods, pod('p', {
      volumes: [
        { name: 'a', configMap: { items: [{ key: 'k', path: '../../etc/x' }, { key: 'k', path: '/abs', mode: 0o1777 }, {}] } },
        { name: 'b', secret: { secretName: 's', defaultMode: -1, items: [{ key: 'k', path: '..x' }] } },
        { name: 'c', downwardAPI: { items: [{ path: 'ok', fieldRef: { fieldPath: 'spec.nodeName' } }, { path: 'a/../b' }] } },
        { name: 'd', projected: { sources: [{ configMap: { name: 'cm', items: [{ key: 'k', path: '..' }] } }, { serviceAccountToken: { path: '' } }] } },
        { name: 'e', hostPath: { path: '/var/../etc', type: 'Pipe' } },
      ],
    }));
    const v = 'spec.volumes';
    expect(r.causes).toEqual([
      `${v}[0].configMap.name: Required value`,
      `${v}[0].configMap.items[0].path: Invalid value: "../../etc/x": must not contain '..'`,
      `${v}[0].configMap.items[1].path: Invalid value: "/abs": must be a relative path`,
      `${v}[0].configMap.items[1].mode: Invalid value: 1023: must be a number between 0 and 0777 (octal), both inclusive`,
      `${v}[0].configMap.items[2].key: Required value`,
      `${v}[0].configMap.items[2].path: Required value`,
      `${v}[1].secret.defaultMode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive`,
      `${v}[1].secret.items[0].path: Invalid value: "..x": must not start with '..'`,
      `${v}[2].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"`,
      `${v}[2].downwardAPI.path: Invalid value: "a/../b": must not contain '..'`,
      `${v}[2].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required`,
      `${v}[3].projected.sources[0].configMap.items[0].path: Invalid value: "..": must not contain '..'`,
      `${v}[3].projected.sources[0].configMap.items[0].path: Invalid value: "..": must not start with '..'`,
      `${v}[3].projected.sources[1].serviceAccountToken.path: Required value`,
      `${v}[4].hostPath.path: Invalid value: "/var/../etc": must not contain '..'`,
      `${v}[4].hostPath.type: Unsupported value: "Pipe": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"`,
    ]);
  });

  it('checks resource requirements, user ids and host aliases, which the agent hands to the engine', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, pods, pod('p', {
      hostAliases: [{ ip: 'x', hostnames: ['ok.local', 'Bad_Name'] }, { ip: '10.1.2.3', hostnames: ['fine'] }],
      containers: [container({
        resources: { limits: { cpu: '-1', memory: '64Mi', 'example.com/gpu': '2' }, requests: { cpu: '100m', memory: '128Mi', 'example.com/gpu': '1', pods: '1' } },
        securityContext: { runAsUser: -1, runAsGroup: 2147483648 },
      })],
    }));
    const rp = 'spec.containers[0].resources';
    expect(r.causes).toEqual([
      `${rp}.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0`,
      `${rp}.requests[pods]: Invalid value: "pods": must be a standard resource for containers`,
      `${rp}.requests: Invalid value: "100m": must be less than or equal to cpu limit of -1`,
      `${rp}.requests: Invalid value: "128Mi": must be less than or equal to memory limit of 64Mi`,
      `${rp}.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2`,
      'spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
      'spec.containers[0].securityContext.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive',
      'spec.hostAliases[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      `spec.hostAliases[0].hostnames[1]: Invalid value: "Bad_Name": ${subdomainMsg}`,
    ]);
  });
});

describe('workload specs', () => {
  it('rejects negative replicas with the documented message', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, deployments, workload('web', { replicas: -1 }));
    expect(r.message).toBe('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(r).toMatchObject({ kind: 'Deployment', group: 'apps' });
  });

  it('requires a selector that matches the template labels', async () => {
    const c = await realCluster();
    const noSelector = workload('web');
    delete (noSelector.spec as any).selector;
    expect((await invalidCreate(c, deployments, noSelector)).causes).toEqual([
      'spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    const mismatch = workload('web', { selector: { matchLabels: { app: 'other' } } });
    expect((await invalidCreate(c, deployments, mismatch)).causes).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']);
    const unlabeled = workload('web');
    delete (unlabeled.spec as any).template.metadata;
    expect((await invalidCreate(c, deployments, unlabeled)).causes).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`']);
    const empty = workload('web', { selector: {} });
    expect((await invalidCreate(c, deployments, empty)).causes).toEqual(['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment']);
  });

  it('checks the rollout strategy and the template restart policy', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, deployments, workload('web', { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }));
    expect(r.causes).toEqual(["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
    const zero = await invalidCreate(c, deployments, workload('web', { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }));
    expect(zero.causes).toEqual(['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0']);
    const never = workload('web');
    (never.spec as any).template.spec.restartPolicy = 'Never';
    expect((await invalidCreate(c, deployments, never)).causes).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });

  it('rejects a Job whose pods would restart forever', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, def('batch', 'v1', 'jobs'), { metadata: { name: 'once' }, spec: { template: { spec: { containers: [container()] } } } });
    expect(r.causes).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  });

  it('checks CronJob schedules with the cron parser\'s words', async () => {
    const c = await realCluster();
    const cj = (schedule: string) => ({ metadata: { name: 'cj' }, spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } } } });
    expect((await invalidCreate(c, def('batch', 'v1', 'cronjobs'), cj('every day'))).causes).toEqual(['spec.schedule: Invalid value: "every day": expected exactly 5 fields, found 2: [every day]']);
    expect((await invalidCreate(c, def('batch', 'v1', 'cronjobs'), cj('61 * * * *'))).causes).toEqual(['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']);
  });
});

describe('services', () => {
  it('requires ports and checks each one', async () => {
    const c = await realCluster();
    expect((await invalidCreate(c, services, { metadata: { name: 'web' }, spec: {} })).causes).toEqual(['spec.ports: Required value']);
    const r = await invalidCreate(c, services, { metadata: { name: 'web' }, spec: { type: 'Internal', ports: [{ port: 0 }, { name: 'b', port: 80, protocol: 'HTTP', nodePort: 30080 }] } });
    expect(r.causes).toEqual([
      'spec.ports[0].name: Required value', 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
    const dup = await invalidCreate(c, services, { metadata: { name: 'web' }, spec: { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] } });
    expect(dup.causes).toEqual(['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}']);
  });
});

describe('config and secrets', () => {
  it('checks data keys and the keys a secret type requires', async () => {
    const c = await realCluster();
    const cm = await invalidCreate(c, def('', 'v1', 'configmaps'), { metadata: { name: 'cm' }, data: { 'a b': '1', '..x': '2' } } as any);
    expect(cm.causes).toEqual([
      "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      "data[..x]: Invalid value: \"..x\": must not start with '..'",
    ]);
    const tls = await invalidCreate(c, def('', 'v1', 'secrets'), { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': '' } } as any);
    expect(tls.causes).toEqual(['data[tls.key]: Required value']);
  });
});

describe('claims, autoscalers and events', () => {
  it('requires access modes and a storage request on claims', async () => {
    const c = await realCluster();
    expect((await invalidCreate(c, def('', 'v1', 'persistentvolumeclaims'), { metadata: { name: 'data' }, spec: {} })).causes).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value',
    ]);
  });

  it('checks autoscaler replica bounds', async () => {
    const c = await realCluster();
    const r = await invalidCreate(c, def('autoscaling', 'v2', 'horizontalpodautoscalers'), { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 2 } });
    expect(r.causes).toEqual(['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']);
  });

  it('checks autoscaler metrics and behavior as upstream words them', async () => {
    const c = await realCluster();
    const hpa = (spec: Record<string, unknown>) => invalidCreate(c, def('autoscaling', 'v2', 'horizontalpodautoscalers'), { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 2, ...spec } });
    expect((await hpa({ metrics: [{ type: 'Resource' }, { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0, averageValue: '-1' } } }] })).causes).toEqual([
      'spec.metrics[0].resource: Required value: must populate information for the given metric source',
      'spec.metrics[1].resource.target.averageValue: Invalid value: "-1": must be positive',
      'spec.metrics[1].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
      'spec.metrics[1].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization',
    ]);
    expect((await hpa({ metrics: [{ type: 'Bogus', pods: {}, resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] })).causes).toEqual([
      'spec.metrics[0].type: Unsupported value: "Bogus": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
      'spec.metrics[0].pods.target.type: Required value: must specify a metric target type',
      'spec.metrics[0].pods.target.type: Invalid value: "": must be either Utilization, Value, or AverageValue',
      'spec.metrics[0].pods: Forbidden: must populate the given metric source only',
      'spec.metrics[0].resource: Forbidden: must populate the given metric source only',
    ]);
    expect((await hpa({ behavior: { scaleUp: { stabilizationWindowSeconds: 4000, selectPolicy: 'Most', policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } } })).causes).toEqual([
      'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
      'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Most": supported values: "Disabled", "Max", "Min"',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
    ]);
  });

  it('keeps an event in its object\'s namespace, and holds events.k8s.io to its stricter rules', async () => {
    const c = await realCluster();
    const events = def('', 'v1', 'events');
    const r = await invalidCreate(c, events, { metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } } as any);
    expect(r.causes).toEqual(['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
    const v1 = await invalidCreate(c, def('events.k8s.io', 'v1', 'events'), { metadata: { name: 'e' }, regarding: { kind: 'Pod', name: 'p', namespace: 'default' }, type: 'Odd' } as any);
    expect(v1.causes).toEqual(['eventTime: Required value', 'type: Invalid value: "": has invalid value: Odd']);
  });
});
