import type { FieldError } from '../status.ts';
import type { KObject } from '../types/index.ts';
import { dns1123SubdomainErrors, invalidValue, qualifiedNameErrors, required } from '../validation/index.ts';
import { col, nameCol, table, wide } from './define.ts';
import { age, firstNonEmpty } from './format.ts';

/** core/v1 Event (the storage form) and its events.k8s.io/v1 view: table, field selectors, conversion, validation. */

/** printEvent (wide): times fall back firstTimestamp → eventTime, a series overrides last seen and count. */
export const eventTable = table(
  [col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'), col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    col('Object', 'The object that this event is about.'), wide(col('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].')),
    wide(col('Source', 'The component reporting this event. Should be a short machine understandable string.')), col('Message', 'A human-readable description of the status of this operation.'),
    wide(col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)')), wide(col('Count', 'The number of times this event has occurred.')), wide({ ...nameCol })],
  (e, now) => {
    const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime, now);
    let last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
    let count = e.count ?? 0;
    if (e.series) {
      last = age(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) count = 1;
    const io = e.involvedObject ?? {};
    const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
    const component = firstNonEmpty(e.source?.component, e.reportingComponent);
    const instance = firstNonEmpty(e.source?.host, e.reportingInstance);
    return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', instance ? `${component}, ${instance}` : component, String(e.message ?? '').trim(), first, count, e.metadata.name];
  },
);

const io = (k: string) => (e: any) => String(e.involvedObject?.[k] ?? '');
/** Event ToSelectableFields; `source` falls back to the reporting controller. */
export const eventFieldSelectors: Record<string, (o: KObject) => string> = {
  'involvedObject.kind': io('kind'), 'involvedObject.namespace': io('namespace'), 'involvedObject.name': io('name'),
  'involvedObject.uid': io('uid'), 'involvedObject.apiVersion': io('apiVersion'), 'involvedObject.resourceVersion': io('resourceVersion'),
  'involvedObject.fieldPath': io('fieldPath'), reason: (e: any) => e.reason ?? '', reportingComponent: (e: any) => e.reportingComponent ?? '',
  source: (e: any) => firstNonEmpty(e.source?.component, e.reportingComponent), type: (e: any) => e.type ?? '',
};

/** events.k8s.io/v1 names the same fields after its own schema (AddFieldLabelConversionsForEvent). */
const v1Names: Record<string, string> = {
  reason: 'reason', 'regarding.kind': 'involvedObject.kind', 'regarding.namespace': 'involvedObject.namespace', 'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid', 'regarding.apiVersion': 'involvedObject.apiVersion', 'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath', reportingController: 'reportingComponent', type: 'type',
};
export const eventsV1FieldSelectors: Record<string, (o: KObject) => string> = Object.fromEntries(
  Object.entries(v1Names).map(([v1, core]) => [v1, (o: KObject) => eventFieldSelectors[core](eventsV1ToCore(o))]),
);

/** events.k8s.io/v1 Event → core/v1 Event (the storage form), as upstream converts them. */
export function eventsV1ToCore(o: KObject): KObject {
  const { note, regarding, related, reportingController, reportingInstance, deprecatedCount, deprecatedFirstTimestamp, deprecatedLastTimestamp, deprecatedSource, ...rest } = o as any;
  return {
    ...rest, apiVersion: 'v1', kind: 'Event',
    ...(note !== undefined ? { message: note } : {}),
    ...(regarding !== undefined ? { involvedObject: regarding } : { involvedObject: {} }),
    ...(related !== undefined ? { related } : {}),
    ...(reportingController !== undefined ? { reportingComponent: reportingController } : {}),
    ...(reportingInstance !== undefined ? { reportingInstance } : {}),
    ...(deprecatedCount !== undefined ? { count: deprecatedCount } : {}),
    ...(deprecatedFirstTimestamp !== undefined ? { firstTimestamp: deprecatedFirstTimestamp } : {}),
    ...(deprecatedLastTimestamp !== undefined ? { lastTimestamp: deprecatedLastTimestamp } : {}),
    source: deprecatedSource ?? { component: reportingController, host: reportingInstance },
  };
}

/** core/v1 Event → events.k8s.io/v1 Event. */
export function coreToEventsV1(o: KObject): KObject {
  const { message, involvedObject, related, reportingComponent, reportingInstance, count, firstTimestamp, lastTimestamp, source, ...rest } = o as any;
  return {
    ...rest, apiVersion: 'events.k8s.io/v1', kind: 'Event',
    ...(message !== undefined ? { note: message } : {}),
    ...(involvedObject !== undefined ? { regarding: involvedObject } : {}),
    ...(related !== undefined ? { related } : {}),
    reportingController: reportingComponent ?? source?.component,
    reportingInstance: reportingInstance ?? source?.host,
    ...(count !== undefined ? { deprecatedCount: count } : {}),
    ...(firstTimestamp !== undefined ? { deprecatedFirstTimestamp: firstTimestamp } : {}),
    ...(lastTimestamp !== undefined ? { deprecatedLastTimestamp: lastTimestamp } : {}),
    ...(source !== undefined ? { deprecatedSource: source } : {}),
  };
}

/** legacyValidateEvent: what every event must satisfy, whichever API wrote it. */
export function validateCoreEvent(e: any): FieldError[] {
  const out: FieldError[] = [];
  const ns = e.metadata.namespace ?? '';
  const ioNs = e.involvedObject?.namespace ?? '';
  const mismatch = () => out.push(invalidValue('involvedObject.namespace', ioNs, 'does not match event.namespace'));
  if (!e.eventTime) {
    if (ioNs ? ns !== ioNs : ns !== '' && ns !== 'default') mismatch();
  } else {
    if (!ioNs && ns !== 'default' && ns !== 'kube-system') mismatch();
    const rc = e.reportingComponent ?? '';
    if (!rc) out.push(required('reportingController'));
    for (const m of qualifiedNameErrors(rc)) out.push(invalidValue('reportingController', rc, m));
    if (!e.reportingInstance) out.push(required('reportingInstance'));
    if (!e.action) out.push(required('action'));
    if (!e.reason) out.push(required('reason'));
  }
  for (const m of dns1123SubdomainErrors(ns)) out.push(invalidValue('namespace', ns, m));
  return out;
}

/** ValidateEventCreate for events.k8s.io/v1: the legacy rules plus the new API's stricter ones. */
export function validateEventsV1(o: KObject): FieldError[] {
  const e: any = eventsV1ToCore(o);
  const out = validateCoreEvent(e);
  if (!e.eventTime) out.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') out.push(invalidValue('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.series && (e.series.count ?? 0) < 2) out.push(invalidValue('series.count', '', 'should be at least 2'));
  return out;
}
