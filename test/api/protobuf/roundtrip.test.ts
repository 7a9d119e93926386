import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf } from '../../../pkg/api/protobuf/index.ts';
import { encodeMessage } from './encode.ts';
import { envelope } from './writer.ts';

// `kubectl create <generator> --dry-run=client -o json` output of kubectl 1.32: Go's JSON of the
// very structs kubectl marshals to protobuf on a real create, so the ground truth for what
// decoding must give back (value structs as {}, zero Times as null, omitempty zeros absent).
const fixtures = readFileSync(new URL('./fixtures/kubectl-create-dry-run.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

const messageOf: Record<string, string> = {
  ConfigMap: 'core.v1.ConfigMap', Deployment: 'apps.v1.Deployment', Service: 'core.v1.Service', Job: 'batch.v1.Job', CronJob: 'batch.v1.CronJob',
  RoleBinding: 'rbac.v1.RoleBinding', PodDisruptionBudget: 'policy.v1.PodDisruptionBudget', ResourceQuota: 'core.v1.ResourceQuota',
  Ingress: 'networking.v1.Ingress', Secret: 'core.v1.Secret', Namespace: 'core.v1.Namespace', ServiceAccount: 'core.v1.ServiceAccount',
};

describe('decodeKubernetesProtobuf against kubectl', () => {
  it.each(fixtures.map((o) => [o.kind, o]))('gives back kubectl\'s own JSON of a %s', (_kind, obj) => {
    const { apiVersion, kind, ...rest } = obj;
    const body = envelope(apiVersion, kind, encodeMessage(messageOf[kind], rest));
    expect(decodeKubernetesProtobuf(body)).toEqual(obj);
  });
});
