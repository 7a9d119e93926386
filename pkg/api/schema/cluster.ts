// storage.k8s.io/v1 StorageClass, coordination.k8s.io/v1 Lease, discovery.k8s.io/v1 EndpointSlice, events.k8s.io/v1 Event.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { bool, int32, list, microTime, obj, oneOf, ref, str, strList, strMap, time, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const clusterSchemas: SchemaSet = {
  'events.v1.Event': obj('A report of something that happened to an object, in the events.k8s.io shape.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    eventTime: microTime('When the event was first observed.'),
    series: ref('events.v1.EventSeries', 'Repetition data when the event recurs.'),
    reportingController: str('Controller that emitted the event, such as kubernetes.io/kubelet.'),
    reportingInstance: str('Instance of that controller, such as kubelet-node1.'),
    action: str('What was done, or failed, about the object, in machine-readable form.'),
    reason: str('Why the action was taken, in machine-readable form.'),
    regarding: ref('core.v1.ObjectReference', 'Object the event is about.'),
    related: ref('core.v1.ObjectReference', 'A secondary object involved.'),
    note: str('Human-readable description, up to 1 kB.'),
    type: str('Normal or Warning.'),
    deprecatedSource: ref('core.v1.EventSource', 'Reporting component, kept for compatibility with core/v1 Event.'),
    deprecatedFirstTimestamp: time('First time recorded, kept for compatibility with core/v1 Event.'),
    deprecatedLastTimestamp: time('Last time recorded, kept for compatibility with core/v1 Event.'),
    deprecatedCount: int32('Occurrence count, kept for compatibility with core/v1 Event.'),
  }, ['eventTime']),
  'events.v1.EventSeries': obj('Repetition data of a recurring event.', {
    count: int32('Occurrences so far.'),
    lastObservedTime: microTime('Time of the last occurrence.'),
  }, ['count', 'lastObservedTime']),
  'coordination.v1.Lease': obj('A lease held by one holder at a time, used for node heartbeats and leader election.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('coordination.v1.LeaseSpec', 'Holder and timing of the lease.'),
  }),
  'coordination.v1.LeaseSpec': obj('State of a lease.', {
    holderIdentity: str('Identity of the current holder.'),
    leaseDurationSeconds: int32('Seconds others must wait after the last renewal before taking the lease.'),
    acquireTime: microTime('When the current holder acquired the lease.'),
    renewTime: microTime('When the holder last renewed the lease.'),
    leaseTransitions: int32('Times the lease changed holders.'),
    strategy: str('Strategy for picking a holder in coordinated leader election.'),
    preferredHolder: str('Holder the lease should be handed to, in coordinated leader election.'),
  }),
  'discovery.v1.EndpointSlice': obj('A subset of the endpoints behind a service, with their ports and conditions.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    addressType: str('IPv4, IPv6 or FQDN; all addresses of the slice share it.'),
    endpoints: list(ref('discovery.v1.Endpoint'), 'Endpoints of the slice, at most 1000.', { listType: 'atomic' }),
    ports: list(ref('discovery.v1.EndpointPort'), 'Ports open on every endpoint; empty means all ports.', { listType: 'atomic' }),
  }, ['addressType', 'endpoints']),
  'discovery.v1.Endpoint': obj('One backend of a service.', {
    addresses: strList("Addresses of the backend, of the slice's address type.", { listType: 'set' }),
    conditions: ref('discovery.v1.EndpointConditions', 'Readiness of the backend.'),
    hostname: str('Hostname of the backend.'),
    targetRef: ref('core.v1.ObjectReference', 'Object providing the backend, usually a pod.'),
    deprecatedTopology: strMap('Deprecated v1beta1 topology labels.'),
    nodeName: str('Node hosting the backend.'),
    zone: str('Zone the backend is in.'),
    hints: ref('discovery.v1.EndpointHints', 'Hints for topology-aware routing.'),
  }, ['addresses']),
  'discovery.v1.EndpointConditions': obj('Readiness of an endpoint.', {
    ready: bool('Ready to receive traffic; false while terminating.'),
    serving: bool('Ready to receive traffic, even while terminating.'),
    terminating: bool('Being terminated.'),
  }),
  'discovery.v1.EndpointHints': obj('Routing hints of an endpoint.', {
    forZones: list(ref('discovery.v1.ForZone'), 'Zones that should use this endpoint.', { listType: 'atomic' }),
  }),
  'discovery.v1.ForZone': obj('A zone that should use an endpoint.', {
    name: str('Zone name.'),
  }, ['name']),
  'discovery.v1.EndpointPort': obj('One port of an EndpointSlice.', {
    name: str('Port name; matches the service port name.'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'TCP (default), UDP or SCTP.'),
    port: int32('Port number; unset means all ports.'),
    appProtocol: str('Application protocol.'),
  }),
  'scheduling.v1.PriorityClass': obj('A named scheduling priority: pods naming it get its value, which orders the scheduling queue and decides preemption.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    value: int32('The priority of pods of this class; higher runs first. At most 1000000000 for classes users make.'),
    globalDefault: bool('Whether pods without a priorityClassName get this class; only one class may be the default.'),
    description: str('What the class is for.'),
    preemptionPolicy: oneOf(['PreemptLowerPriority', 'Never'], 'Whether pods of this class may preempt lower-priority pods: PreemptLowerPriority (default) or Never.'),
  }, ['value']),
  'storage.v1.StorageClass': obj('A class of storage from which PersistentVolumes are provisioned dynamically.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    provisioner: str('Name of the volume provisioner.'),
    parameters: strMap('Provisioner-specific settings.'),
    reclaimPolicy: oneOf(['Recycle', 'Delete', 'Retain'], 'Reclaim policy of provisioned volumes: Delete (default) or Retain.'),
    mountOptions: strList('Mount options of provisioned volumes.', { listType: 'atomic' }),
    allowVolumeExpansion: bool('Allow claims of this class to grow.'),
    volumeBindingMode: oneOf(['Immediate', 'WaitForFirstConsumer'], 'Immediate (default), or WaitForFirstConsumer to provision once a pod is scheduled.'),
    allowedTopologies: list(ref('core.v1.TopologySelectorTerm'), 'Topologies where volumes may be provisioned.', { listType: 'atomic' }),
  }, ['provisioner']),
};
