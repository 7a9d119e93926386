import { parseExact, type Quantity } from '../quantity-exact.ts';
import { admissionForbidden, type AdmissionPlugin, type AdmissionRequest } from '../registry/admission.ts';
import type { KObject } from '../types/index.ts';
import { aggregate, maxConstraint, maxRequestConstraint, minConstraint, ratioConstraint } from './limit-constraints.ts';
import { parseList, podResources, type PodSpecLike, type Resources } from './resource-lists.ts';

type ResourceMap = Record<string, string | number>;
interface LimitItem {
  type?: string;
  min?: ResourceMap;
  max?: ResourceMap;
  default?: ResourceMap;
  defaultRequest?: ResourceMap;
  maxLimitRequestRatio?: ResourceMap;
}
interface Container {
  name?: string;
  resources?: { requests?: ResourceMap; limits?: ResourceMap };
}

const limitRangerAnnotation = 'kubernetes.io/limit-ranger';
const itemsOf = (lr: KObject) => ((lr.spec as { limits?: LimitItem[] } | undefined)?.limits ?? []).filter((i) => i && typeof i === 'object');
const isCore = (req: AdmissionRequest, plural: string) => req.def.group === '' && req.def.plural === plural;

/** Fills a container's missing requests and limits from the defaults; returns the part of the annotation it contributes. */
function mergeContainer(c: Container, defaults: { requests: ResourceMap; limits: ResourceMap }, label: string): string[] {
  const res = (c.resources ??= {});
  const setLimits = Object.keys(defaults.limits).filter((k) => res.limits?.[k] === undefined).sort();
  const setRequests = Object.keys(defaults.requests).filter((k) => res.requests?.[k] === undefined).sort();
  if (setLimits.length) res.limits = { ...res.limits, ...Object.fromEntries(setLimits.map((k) => [k, defaults.limits[k]!])) };
  if (setRequests.length) res.requests = { ...res.requests, ...Object.fromEntries(setRequests.map((k) => [k, defaults.requests[k]!])) };
  const notes: string[] = [];
  if (setRequests.length) notes.push(`${setRequests.join(', ')} request for ${label} ${c.name ?? ''}`);
  if (setLimits.length) notes.push(`${setLimits.join(', ')} limit for ${label} ${c.name ?? ''}`);
  return notes;
}

/** PodMutateLimitFunc: the Container items' default and defaultRequest fill what containers leave out. */
function defaultPod(pod: KObject, lr: KObject): void {
  const defaults = { requests: {} as ResourceMap, limits: {} as ResourceMap };
  for (const item of itemsOf(lr)) {
    if (item.type !== 'Container') continue;
    Object.assign(defaults.requests, item.defaultRequest);
    Object.assign(defaults.limits, item.default);
  }
  const spec = pod.spec as { containers?: Container[]; initContainers?: Container[] } | undefined;
  const notes = [
    ...(spec?.containers ?? []).flatMap((c) => mergeContainer(c, defaults, 'container')),
    ...(spec?.initContainers ?? []).flatMap((c) => mergeContainer(c, defaults, 'init container')),
  ];
  if (notes.length) pod.metadata.annotations = { ...pod.metadata.annotations, [limitRangerAnnotation]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

const entries = (m: ResourceMap | undefined): [string, Quantity][] =>
  Object.keys(m ?? {}).sort().flatMap((k) => {
    const q = parseExact(m![k]);
    return q ? [[k, q] as [string, Quantity]] : [];
  });

/** min, max and maxLimitRequestRatio of one item against one set of requests and limits. */
function checkItem(item: LimitItem, type: string, requests: Resources, limits: Resources): string[] {
  const out: (string | undefined)[] = [];
  for (const [k, q] of entries(item.min)) out.push(minConstraint(type, k, q, requests, limits));
  for (const [k, q] of entries(item.max)) out.push(maxConstraint(type, k, q, requests, limits));
  for (const [k, q] of entries(item.maxLimitRequestRatio)) out.push(ratioConstraint(type, k, q, requests, limits));
  return out.filter((m): m is string => m !== undefined);
}

/** PodValidateLimitFunc: Container items per container (init containers too), Pod items against the pod's totals. */
function validatePod(pod: KObject, lr: KObject): string[] {
  const spec = pod.spec as PodSpecLike | undefined;
  const errs: string[] = [];
  for (const item of itemsOf(lr)) {
    if (item.type === 'Container') {
      for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
        errs.push(...checkItem(item, 'Container', parseList(c?.resources?.requests), parseList(c?.resources?.limits)));
      }
    } else if (item.type === 'Pod') errs.push(...checkItem(item, 'Pod', podResources(spec, 'requests'), podResources(spec, 'limits')));
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc: a claim's requested size within min and max. */
function validateClaim(claim: KObject, lr: KObject): string[] {
  const requests = parseList((claim.spec as { resources?: { requests?: unknown } } | undefined)?.resources?.requests);
  const errs: (string | undefined)[] = [];
  for (const item of itemsOf(lr)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, q] of entries(item.min)) errs.push(minConstraint('PersistentVolumeClaim', k, q, requests, new Map()));
    for (const [k, q] of entries(item.max)) errs.push(maxRequestConstraint('PersistentVolumeClaim', k, q, requests));
  }
  return errs.filter((m): m is string => m !== undefined);
}

/**
 * LimitRanger: the namespace's LimitRanges default the resources of new pods' containers (and
 * note what they set in the `kubernetes.io/limit-ranger` annotation), then bound pods (on
 * create) and claims (on create and update) by their min, max and maxLimitRequestRatio; a
 * violation is 403 Forbidden with upstream's messages.
 */
export const limitRanger: AdmissionPlugin = {
  name: 'LimitRanger',
  handles: (req) => (isCore(req, 'pods') && req.operation === 'create') || isCore(req, 'persistentvolumeclaims'),
  async mutate(req, svc) {
    if (!isCore(req, 'pods') || !req.namespace) return;
    for (const lr of await svc.list('', 'limitranges', req.namespace)) defaultPod(req.obj, lr);
  },
  async validate(req, svc) {
    if (!req.namespace) return;
    const check = isCore(req, 'pods') ? validatePod : validateClaim;
    const errs = (await svc.list('', 'limitranges', req.namespace)).flatMap((lr) => check(req.obj, lr));
    const message = aggregate(errs);
    if (message) throw admissionForbidden(req, message);
  },
};
