import { admissionForbidden, type AdmissionPlugin, type AdmissionRequest, type AdmissionServices } from '../registry/admission.ts';
import type { KObject } from '../types/index.ts';

type PriorityClass = KObject & { value?: number; globalDefault?: boolean; preemptionPolicy?: string };
type PodSpec = { priorityClassName?: string; priority?: number; preemptionPolicy?: string };

const isPods = (req: AdmissionRequest) => req.def.group === '' && req.def.plural === 'pods';
const isClasses = (req: AdmissionRequest) => req.def.group === 'scheduling.k8s.io' && req.def.plural === 'priorityclasses';

/** The global default class; after a race that made two, the one of lowest value (as upstream). */
async function defaultClass(svc: AdmissionServices): Promise<PriorityClass | undefined> {
  const all = (await svc.list('scheduling.k8s.io', 'priorityclasses', undefined)) as PriorityClass[];
  return all.filter((c) => c.globalDefault === true).sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
}

/**
 * Priority: a new pod gets spec.priority (and preemptionPolicy) from its PriorityClass, or from
 * the global default class (whose name it then carries), else priority 0; a class that does not
 * exist, or a priority or policy given that differs from the class's, is refused (403). (An update
 * keeps the stored priority: the pod strategy's prepareForUpdate.) A PriorityClass may be the global default only while no other is.
 */
export const priorityAdmission: AdmissionPlugin = {
  name: 'Priority',
  handles: (req) => isPods(req) || isClasses(req),
  async mutate(req, svc) {
    if (!isPods(req)) return;
    if (req.operation !== 'create') return;
    const spec = (req.obj.spec ??= {}) as PodSpec;
    let cls: PriorityClass | undefined;
    if (!spec.priorityClassName) {
      cls = await defaultClass(svc);
      if (cls) spec.priorityClassName = cls.metadata.name;
    } else {
      const name = spec.priorityClassName;
      cls = ((await svc.list('scheduling.k8s.io', 'priorityclasses', undefined)) as PriorityClass[]).find((c) => c.metadata.name === name);
      if (!cls) throw admissionForbidden(req, `no PriorityClass with name ${name} was found`);
    }
    const priority = cls?.value ?? 0;
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
      throw admissionForbidden(req, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
    }
    spec.priority = priority;
    // No class at all: PreemptLowerPriority, as upstream's default.
    const policy = cls ? cls.preemptionPolicy : 'PreemptLowerPriority';
    if (policy) {
      if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
        throw admissionForbidden(req, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
      }
      spec.preemptionPolicy = policy;
    }
  },
  async validate(req, svc) {
    if (!isClasses(req) || (req.obj as PriorityClass).globalDefault !== true) return;
    const other = await defaultClass(svc);
    if (other && (req.operation === 'create' || other.metadata.name !== req.obj.metadata.name)) {
      throw admissionForbidden(req, `PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`);
    }
  },
};
