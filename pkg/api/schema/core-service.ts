// core/v1 Service, Endpoints and ObjectReference.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { bool, int32, intOrString, list, obj, oneOf, ref, str, strList, strMap, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const coreServiceSchemas: SchemaSet = {
  'core.v1.Service': obj('A stable virtual IP and DNS name in front of a set of pods, chosen by a label selector.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('core.v1.ServiceSpec', 'Ports, selector and type of the service.'),
    status: ref('core.v1.ServiceStatus', 'Observed state, such as the load balancer address. Read-only.'),
  }),
  'core.v1.ServiceSpec': obj('Desired state of a service.', {
    ports: list(ref('core.v1.ServicePort'), 'Ports the service exposes.', { mergeKey: 'port', strategy: 'merge', listType: 'map', mapKeys: ['port', 'protocol'] }),
    selector: strMap('Labels of the pods that receive the traffic; without it, endpoints are managed by hand.', { mapType: 'atomic' }),
    clusterIP: str('Virtual IP of the service, assigned when empty; None makes a headless service.'),
    clusterIPs: strList('Virtual IPs of the service, one per family; the first equals clusterIP.', { listType: 'atomic' }),
    type: oneOf(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], 'How the service is exposed: ClusterIP (default), NodePort, LoadBalancer or ExternalName.'),
    externalIPs: strList('Extra IPs on which nodes accept traffic for the service.', { listType: 'atomic' }),
    sessionAffinity: oneOf(['ClientIP', 'None'], 'ClientIP sends a client to the same pod each time; None (default) does not.'),
    loadBalancerIP: str('Deprecated: requested load balancer IP.'),
    loadBalancerSourceRanges: strList('Client CIDRs allowed through the load balancer.', { listType: 'atomic' }),
    externalName: str('DNS name the service is an alias (CNAME) for, with type ExternalName.'),
    externalTrafficPolicy: oneOf(['Cluster', 'Local'], 'Cluster (default) spreads external traffic over all endpoints; Local keeps it on the receiving node.'),
    healthCheckNodePort: int32('Node port answering health checks for externalTrafficPolicy Local.'),
    publishNotReadyAddresses: bool('Publish endpoints for pods that are not ready.'),
    sessionAffinityConfig: ref('core.v1.SessionAffinityConfig', 'Settings of session affinity.'),
    ipFamilies: list(oneOf(['IPv4', 'IPv6', '']), 'IP families of the service, IPv4 and/or IPv6.', { listType: 'atomic' }),
    ipFamilyPolicy: oneOf(['SingleStack', 'PreferDualStack', 'RequireDualStack'], 'SingleStack, PreferDualStack or RequireDualStack.'),
    allocateLoadBalancerNodePorts: bool('Allocate node ports for LoadBalancer services; defaults to true.'),
    loadBalancerClass: str('Load balancer implementation responsible for the service.'),
    internalTrafficPolicy: oneOf(['Cluster', 'Local'], 'Cluster (default) spreads in-cluster traffic over all endpoints; Local keeps it on the node.'),
    trafficDistribution: str('Preference for how traffic is spread over endpoints, such as PreferClose.'),
  }),
  'core.v1.ServicePort': obj('One port of a service.', {
    name: str('Port name, unique within the service; required when there are several ports.'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'TCP (default), UDP or SCTP.'),
    appProtocol: str('Application protocol, such as http or kubernetes.io/h2c.'),
    port: int32('Port the service listens on.'),
    targetPort: intOrString('Port number or name on the pods; defaults to port.'),
    nodePort: int32('Port on every node for NodePort and LoadBalancer services; allocated when empty.'),
  }, ['port']),
  'core.v1.SessionAffinityConfig': obj('Session affinity settings.', {
    clientIP: ref('core.v1.ClientIPConfig', 'Settings of client IP affinity.'),
  }),
  'core.v1.ClientIPConfig': obj('Client IP session affinity settings.', {
    timeoutSeconds: int32('How long a client sticks to a pod, up to 86400; defaults to 10800.'),
  }),
  'core.v1.ServiceStatus': obj('Observed state of a service.', {
    loadBalancer: ref('core.v1.LoadBalancerStatus', 'Load balancer status, if any.'),
    conditions: list(ref('meta.v1.Condition'), 'Current conditions of the service.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  }),
  'core.v1.LoadBalancerStatus': obj('Status of a load balancer.', {
    ingress: list(ref('core.v1.LoadBalancerIngress'), 'Addresses traffic for the service can be sent to.', { listType: 'atomic' }),
  }),
  'core.v1.LoadBalancerIngress': obj('One address of a load balancer.', {
    ip: str('IP address of the load balancer.'),
    hostname: str('DNS name of the load balancer.'),
    ipMode: str('VIP (traffic arrives with the load balancer IP as destination) or Proxy.'),
    ports: list(ref('core.v1.PortStatus'), 'Status of each service port.', { listType: 'atomic' }),
  }),
  'core.v1.PortStatus': obj('Error state of a service port.', {
    port: int32('Port number.'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'TCP, UDP or SCTP.'),
    error: str('Problem with the port, in CamelCase or as a domain-prefixed name.'),
  }, ['port', 'protocol']),
  'core.v1.Endpoints': obj('Addresses and ports implementing a service; superseded by EndpointSlice.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    subsets: list(ref('core.v1.EndpointSubset'), 'Groups of addresses that share ports.', { listType: 'atomic' }),
  }),
  'core.v1.EndpointSubset': obj('Addresses that share a set of ports.', {
    addresses: list(ref('core.v1.EndpointAddress'), 'Ready addresses.', { listType: 'atomic' }),
    notReadyAddresses: list(ref('core.v1.EndpointAddress'), 'Addresses that are not ready yet.', { listType: 'atomic' }),
    ports: list(ref('core.v1.EndpointPort'), 'Ports open on all the addresses.', { listType: 'atomic' }),
  }),
  'core.v1.EndpointAddress': obj('One endpoint address.', {
    ip: str('IP address.'),
    hostname: str('Hostname of the endpoint.'),
    nodeName: str('Node hosting the endpoint.'),
    targetRef: ref('core.v1.ObjectReference', 'Object providing the endpoint, usually a pod.'),
  }, ['ip']),
  'core.v1.ObjectReference': obj('Reference to an object or to a field of one.', {
    kind: str('Kind of the object.'),
    namespace: str('Namespace of the object.'),
    name: str('Name of the object.'),
    uid: str('UID of the object.'),
    apiVersion: str('API version of the object.'),
    resourceVersion: str('resourceVersion the reference was taken at.'),
    fieldPath: str('Path of the referenced part of the object, such as spec.containers{name}.'),
  }),
  'core.v1.EndpointPort': obj('One port of an endpoint.', {
    name: str('Name of the port; matches the service port name.'),
    port: int32('Port number.'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'TCP (default), UDP or SCTP.'),
    appProtocol: str('Application protocol.'),
  }, ['port']),
};
