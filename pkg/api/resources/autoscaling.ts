import type { ResourceDef } from '../resource.ts';
import type { FieldError } from '../status.ts';
import { invalidValue, required } from '../validation/index.ts';
import { ageCol, col, created, nameCol, resource, table } from './define.ts';
import { validateHpaBehavior, validateHpaMetrics } from './hpa-validation.ts';
import { conditionsAnnotation, currentMetricsAnnotation, hpaV1ToV2, hpaV2Plain, hpaV2ToV1 } from './hpa-v1.ts';

/** autoscaling/v2 HorizontalPodAutoscaler (the storage version) and its autoscaling/v1 view. */

const n = (v: unknown) => (typeof v === 'number' ? v : 0);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** formatHPAMetrics: one entry per metric matched to the status of the same index, two at most. */
function formatMetrics(specs: any[], statuses: any[]): string {
  if (!specs.length) return '<none>';
  const list = specs.map((m, i) => {
    const st = statuses[i];
    const target = m.resource?.target ?? m.containerResource?.target;
    switch (m.type) {
      case 'Resource':
      case 'ContainerResource': {
        const src = m.type === 'Resource' ? m.resource : m.containerResource;
        const cur = m.type === 'Resource' ? st?.resource : st?.containerResource;
        if (target?.averageValue !== undefined) return `${src?.name}: ${cur ? cur.current?.averageValue ?? '0' : '<unknown>'}/${target.averageValue}`;
        const have = cur?.current?.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : '<unknown>';
        return `${src?.name}: ${have}/${target?.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>'}`;
      }
      case 'Pods':
        return `${st?.pods ? st.pods.current?.averageValue ?? '0' : '<unknown>'}/${m.pods?.target?.averageValue ?? '0'}`;
      case 'Object': {
        const t = m.object?.target ?? {};
        const c = st?.object?.current;
        if (t.type === 'AverageValue') return `${c ? c.averageValue ?? '0' : '<unknown>'}/${t.averageValue ?? '0'} (avg)`;
        return `${c ? c.value ?? '0' : '<unknown>'}/${t.value ?? '0'}`;
      }
      case 'External': {
        const t = m.external?.target ?? {};
        const c = st?.external?.current;
        if (t.type === 'AverageValue') return `${c ? c.averageValue ?? '0' : '<unknown>'}/${t.averageValue ?? '0'} (avg)`;
        return `${c ? c.value ?? '0' : '<unknown>'}/${t.value ?? '0'}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

const hpaTable = table([nameCol, col('Reference', 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.'),
  col('Targets', 'metrics contains the specifications for which to use to calculate the desired replica count.'), col('MinPods', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
  col('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'), col('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'), ageCol],
(o, now) => {
  const ref = o.spec?.scaleTargetRef ?? {};
  return [o.metadata.name, `${ref.kind ?? ''}/${ref.name ?? ''}`, formatMetrics(arr(o.spec?.metrics), arr(o.status?.currentMetrics)),
    o.spec?.minReplicas !== undefined ? String(o.spec.minReplicas) : '<unset>', n(o.spec?.maxReplicas), n(o.status?.currentReplicas), created(o, now)];
});

/**
 * SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, an 80% CPU target when no metric is
 * given, and a behavior that is given gets its missing rules (scale-down keeps no window: the
 * controller's 5 minutes apply).
 */
function defaultV2(o: any): void {
  const s = (o.spec ??= {});
  s.minReplicas ??= 1;
  if (!arr(s.metrics).length) s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  if (s.behavior && typeof s.behavior === 'object') {
    s.behavior.scaleUp = rules(s.behavior.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
    s.behavior.scaleDown = rules(s.behavior.scaleDown, { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  }
}

function rules(given: any, defaults: Record<string, unknown>): any {
  if (!given || typeof given !== 'object') return structuredClone(defaults);
  const out = { ...given };
  for (const [k, v] of Object.entries(defaults)) if (out[k] === undefined || (k === 'policies' && !arr(out[k]).length)) out[k] = structuredClone(v);
  return out;
}

/** ValidateHorizontalPodAutoscalerSpec's basics: a target, and replica bounds that make sense. */
function validateHpa(o: any): FieldError[] {
  const s = o.spec ?? {};
  const out: FieldError[] = [];
  if (typeof s.minReplicas === 'number' && s.minReplicas < 1) out.push(invalidValue('spec.minReplicas', s.minReplicas, 'must be greater than or equal to 1'));
  if (typeof s.maxReplicas !== 'number' || s.maxReplicas < 1) out.push(invalidValue('spec.maxReplicas', s.maxReplicas ?? 0, 'must be greater than 0'));
  if (typeof s.minReplicas === 'number' && typeof s.maxReplicas === 'number' && s.maxReplicas < s.minReplicas) {
    out.push(invalidValue('spec.maxReplicas', s.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  if (!s.scaleTargetRef?.kind) out.push(required('spec.scaleTargetRef.kind'));
  if (!s.scaleTargetRef?.name) out.push(required('spec.scaleTargetRef.name'));
  return out;
}

const validateV2 = (o: any): FieldError[] => [...validateHpa(o), ...validateHpaMetrics(o.spec?.metrics), ...validateHpaBehavior(o.spec?.behavior)];

/**
 * The annotations that carry v1's view of the status: a main write keeps the old ones, a status
 * write takes the body's (upstream's status write keeps the body's metadata), a create has none.
 */
const statusAnnotations = [currentMetricsAnnotation, conditionsAnnotation];

function setStatusAnnotations(o: any, from: Record<string, string> | undefined): void {
  const a: Record<string, string> = { ...o.metadata.annotations };
  for (const k of statusAnnotations) {
    if (from?.[k] !== undefined) a[k] = from[k];
    else delete a[k];
  }
  if (Object.keys(a).length) o.metadata.annotations = a;
  else delete o.metadata.annotations;
}

/**
 * A v1 write is judged as upstream judges it, in the internal (≈ v2) form: v1's minReplicas
 * default, then the object as v2 sees it (the annotations' metrics and behavior included) is
 * defaulted and validated; the v1 body is rewritten from that v2 form, so what is stored and
 * answered is what a v2 write of the same HPA would give.
 */
function defaultV1(o: any): void {
  (o.spec ??= {}).minReplicas ??= 1;
  const v2 = hpaV1ToV2(o);
  defaultV2(v2);
  const back = hpaV2ToV1(v2);
  o.metadata = back.metadata;
  o.spec = back.spec;
  if (back.status === undefined) delete o.status;
  else o.status = back.status;
}

export const autoscaling: ResourceDef[] = [
  resource('autoscaling', 'v2', {
    kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], status: true,
    strategy: { defaults: defaultV2, validate: validateV2 }, table: hpaTable,
    toStorage: hpaV2Plain, fromStorage: hpaV2Plain,
  }),
  resource('autoscaling', 'v1', {
    kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], status: true,
    strategy: {
      defaults: defaultV1,
      validate: (o) => validateV2(hpaV1ToV2(o)),
      prepareForCreate: (o) => setStatusAnnotations(o, undefined),
      prepareForUpdate: (o, old) => setStatusAnnotations(o, old.metadata.annotations),
      prepareForStatusUpdate: (o, body) => setStatusAnnotations(o, body.metadata.annotations),
    },
    storage: { group: 'autoscaling', resource: 'horizontalpodautoscalers' }, toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1,
    table: { columns: hpaTable.columns, cells: (o, now) => hpaTable.cells(hpaV1ToV2(o), now) },
  }),
];
