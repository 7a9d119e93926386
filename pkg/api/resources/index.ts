import type { ResourceDef } from '../resource.ts';
import { authApis } from './auth.ts';
import { autoscaling } from './autoscaling.ts';
import { core } from './core.ts';
import { metricsResources } from './metrics.ts';
import { others } from './others.ts';
import { priorityClasses } from './scheduling.ts';
import { workloadsApps } from './apps.ts';
import { workloadsBatch } from './batch.ts';
import { customResourceDefinitions } from '../crd/definition.ts';

/** Every kind skiff serves (STYLE.md B5). Discovery, OpenAPI, routing and storage derive from it. */
export const resources: ResourceDef[] = [...core, ...workloadsApps, ...workloadsBatch, ...autoscaling, ...authApis, ...others, priorityClasses, customResourceDefinitions, ...metricsResources];

const byPath = new Map(resources.map((d) => [`${d.group}/${d.version}/${d.plural}`, d]));
const byKind = new Map(resources.map((d) => [`${d.group}/${d.version}/${d.kind}`, d]));

export const findResource = (group: string, version: string, plural: string) => byPath.get(`${group}/${version}/${plural}`);
export const findByKind = (group: string, version: string, kind: string) => byKind.get(`${group}/${version}/${kind}`);
export { podStatus } from './pod.ts';
export { age, selectorString } from './format.ts';
