import type { KObject } from '../types/index.ts';
import { col, nameCol, table, wide } from './define.ts';
import { age, none } from './format.ts';

const lastSeen = (e: any) => e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;

export const eventTable = table(
  [col('Last Seen', 'Time since the last occurrence.'), col('Type', 'Event type.'), col('Reason', 'Why the event happened.'), col('Object', 'The object it is about.'),
    wide(col('Subobject', 'Part of the object.')), wide(col('Source', 'Who reported it.')), col('Message', 'What happened.'),
    wide(col('First Seen', 'Time since the first occurrence.')), wide(col('Count', 'Occurrences.', { type: 'integer' })), wide({ ...nameCol })],
  (e, now) => [
    age(lastSeen(e), now), e.type ?? '', e.reason ?? '', `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
    e.involvedObject?.fieldPath ?? '', none([e.source?.component ?? e.reportingComponent, e.source?.host].filter(Boolean).join(', ')),
    e.message ?? '', age(e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp, now), e.count ?? 1, e.metadata.name,
  ],
);

const io = (k: string) => (e: any) => String(e.involvedObject?.[k] ?? '');
export const eventFieldSelectors: Record<string, (o: KObject) => string> = {
  'involvedObject.kind': io('kind'), 'involvedObject.namespace': io('namespace'), 'involvedObject.name': io('name'),
  'involvedObject.uid': io('uid'), 'involvedObject.apiVersion': io('apiVersion'), 'involvedObject.resourceVersion': io('resourceVersion'),
  'involvedObject.fieldPath': io('fieldPath'), reason: (e: any) => e.reason ?? '', reportingComponent: (e: any) => e.reportingComponent ?? '',
  source: (e: any) => e.source?.component ?? '', type: (e: any) => e.type ?? '',
};

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
