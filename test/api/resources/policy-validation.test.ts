import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../pkg/api/types/index.ts';
import { api, refusal } from '../admission/fixtures.ts';

const limitRange = (limits: object[]) => ({ metadata: { name: 'lr' }, spec: { limits } } as KObject);
const quota = (spec: object) => ({ metadata: { name: 'q' }, spec } as KObject);

describe('validateLimitRange', () => {
  it('orders min, defaultRequest, default and max, and bounds the ratio', async () => {
    const c = await api();
    const [code, message] = await refusal(c.resource('v1', 'limitranges').create('default', limitRange([
      { type: 'Container', min: { cpu: '2' }, max: { cpu: '1' }, defaultRequest: { memory: '2Gi' }, default: { memory: '1Gi' }, maxLimitRequestRatio: { memory: '500m' } },
    ])));
    expect(code).toBe(422);
    expect(message).toBe('LimitRange "lr" is invalid: [spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1, '
      // Defaulting made default[cpu] = max and defaultRequest[cpu] = default.
      + 'spec.limits[0].defaultRequest[cpu]: Invalid value: "1": min value 2 is greater than default request value 1, '
      + 'spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 1, '
      + 'spec.limits[0].defaultRequest[memory]: Invalid value: "2Gi": default request value 2Gi is greater than default limit value 1Gi, '
      + 'spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: "500m": ratio 500m is less than 1]');
  });

  it('refuses defaults on Pod items, unbounded claim items, repeated types and resources of the wrong kind', async () => {
    const c = await api();
    const [, message] = await refusal(c.resource('v1', 'limitranges').create('default', limitRange([
      { type: 'Pod', max: { cpu: '2', pods: '3' }, default: { cpu: '1' } },
      { type: 'PersistentVolumeClaim', max: { memory: '1Gi' } },
      { type: 'Pod', min: { cpu: '1' }, max: { cpu: '4' }, maxLimitRequestRatio: { cpu: '5' } },
    ])));
    expect(message).toBe('LimitRange "lr" is invalid: [spec.limits[0].max[pods]: Invalid value: "pods": must be a standard resource for containers, '
      + 'spec.limits[0].default: Forbidden: may not be specified when `type` is \'Pod\', '
      + 'spec.limits[1].limits: Required value: either minimum or maximum storage value is required, but neither was provided, '
      + 'spec.limits[2].type: Duplicate value: "Pod", '
      + 'spec.limits[2].maxLimitRequestRatio[cpu]: Invalid value: "5": ratio 5 is greater than max/min = 4.000000]');
    await c.resource('v1', 'limitranges').create('default', limitRange([{ type: 'Container', min: { cpu: '100m' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '4' } }, { type: 'PersistentVolumeClaim', max: { storage: '5Gi' } }]));
  });
});

describe('validateResourceQuota', () => {
  it('knows quota resource names, wants whole non-negative counts, and checks scopes', async () => {
    const c = await api();
    const [code, message] = await refusal(c.resource('v1', 'resourcequotas').create('default', quota({
      hard: { pods: '1500m', 'requests.cpu': '-1', storage: '1Gi', 'count/deployments.apps': '2' }, scopes: ['BestEffort', 'NotBestEffort'],
    })));
    expect(code).toBe(422);
    expect(message).toBe('ResourceQuota "q" is invalid: [spec.hard[pods]: Invalid value: "1500m": must be an integer, '
      + 'spec.hard[requests.cpu]: Invalid value: "-1": must be greater than or equal to 0, '
      + 'spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota, '
      + 'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: unsupported scope applied to resource, '
      + 'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes]');
    const [, selector] = await refusal(c.resource('v1', 'resourcequotas').create('default', quota({
      hard: { pods: '2' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }, { scopeName: 'Nope', operator: 'Exists' }] },
    })));
    expect(selector).toBe('ResourceQuota "q" is invalid: [spec.scopeSelector.matchExpressions[0].values: Required value: must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector, '
      + 'spec.scopeSelector.matchExpressions[1].scopeName: Invalid value: "Nope": unsupported scope]');
    await c.resource('v1', 'resourcequotas').create('default', quota({ hard: { pods: '2', 'count/deployments.apps': '2', 'requests.nvidia.com/gpu': '1' }, scopes: ['NotBestEffort'] }));
  });
});

describe('validatePodDisruptionBudget', () => {
  const pdb = (spec: object) => ({ metadata: { name: 'b' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } } as KObject);

  it('wants one of minAvailable and maxUnavailable, as a count or a percentage up to 100%', async () => {
    const c = await api();
    const pdbs = c.resource('policy/v1', 'poddisruptionbudgets');
    expect(await refusal(pdbs.create('default', pdb({ minAvailable: 1, maxUnavailable: '10%' }))))
      .toEqual([422, 'PodDisruptionBudget.policy "b" is invalid: spec: Invalid value: {"selector":{"matchLabels":{"app":"web"}},"minAvailable":1,"maxUnavailable":"10%"}: minAvailable and maxUnavailable cannot be both set']);
    expect((await refusal(pdbs.create('default', pdb({ minAvailable: '150%' }))))[1])
      .toBe('PodDisruptionBudget.policy "b" is invalid: spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%');
    expect((await refusal(pdbs.create('default', pdb({ maxUnavailable: -1, unhealthyPodEvictionPolicy: 'Sometimes' }))))[1])
      .toBe('PodDisruptionBudget.policy "b" is invalid: [spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0, spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"]');
    const ok = await pdbs.create('default', pdb({ maxUnavailable: '25%', unhealthyPodEvictionPolicy: 'AlwaysAllow' }));
    expect((await refusal(pdbs.updateStatus('default', { ...ok, status: { disruptionsAllowed: -1 } } as KObject)))[1])
      .toBe('PodDisruptionBudget.policy "b" is invalid: status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0');
  });
});
