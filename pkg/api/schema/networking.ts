// networking.k8s.io/v1 Ingress, IngressClass, NetworkPolicy.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { int32, intOrString, list, obj, oneOf, ref, str, strList, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const networkingSchemas: SchemaSet = {
  'networking.v1.Ingress': obj('HTTP(S) routing rules from outside the cluster to services, implemented by an ingress controller.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('networking.v1.IngressSpec', 'Rules, TLS settings and default backend.'),
    status: ref('networking.v1.IngressStatus', 'Load balancer addresses. Read-only.'),
  }),
  'networking.v1.IngressSpec': obj('Desired state of an ingress.', {
    ingressClassName: str('IngressClass that implements this ingress.'),
    defaultBackend: ref('networking.v1.IngressBackend', 'Backend for requests no rule matches.'),
    tls: list(ref('networking.v1.IngressTLS'), 'TLS certificates and the hosts they serve.', { listType: 'atomic' }),
    rules: list(ref('networking.v1.IngressRule'), 'Host and path rules; with none, everything goes to the default backend.', { listType: 'atomic' }),
  }),
  'networking.v1.IngressBackend': obj('Where matching requests go: a service or another resource.', {
    service: ref('networking.v1.IngressServiceBackend', 'Service backend.'),
    resource: ref('core.v1.TypedLocalObjectReference', 'Backend of another kind in the same namespace.'),
  }),
  'networking.v1.IngressServiceBackend': obj('A service as an ingress backend.', {
    name: str("Service name, in the ingress's namespace."),
    port: ref('networking.v1.ServiceBackendPort', 'Service port, by name or number.'),
  }, ['name']),
  'networking.v1.ServiceBackendPort': obj('A service port by name or number.', {
    name: str('Port name.'),
    number: int32('Port number.'),
  }),
  'networking.v1.IngressTLS': obj('TLS settings for some hosts.', {
    hosts: strList("Hosts the certificate covers; defaults to the controller's wildcard host.", { listType: 'atomic' }),
    secretName: str('Secret holding the certificate and key.'),
  }),
  'networking.v1.IngressRule': obj('Routing for one host.', {
    host: str('Host name to match, possibly with a leading wildcard; empty matches all.'),
    http: ref('networking.v1.HTTPIngressRuleValue', 'HTTP paths of the host.'),
  }),
  'networking.v1.HTTPIngressRuleValue': obj('HTTP paths of a host.', {
    paths: list(ref('networking.v1.HTTPIngressPath'), 'Paths and their backends.', { listType: 'atomic' }),
  }, ['paths']),
  'networking.v1.HTTPIngressPath': obj('A path and the backend its requests go to.', {
    path: str('Path to match, starting with /.'),
    pathType: str('Exact, Prefix or ImplementationSpecific.'),
    backend: ref('networking.v1.IngressBackend', 'Backend for matching requests.'),
  }, ['pathType', 'backend']),
  'networking.v1.IngressStatus': obj('Observed state of an ingress.', {
    loadBalancer: ref('networking.v1.IngressLoadBalancerStatus', 'Load balancer status.'),
  }),
  'networking.v1.IngressLoadBalancerStatus': obj('Status of an ingress load balancer.', {
    ingress: list(ref('networking.v1.IngressLoadBalancerIngress'), 'Addresses of the load balancer.', { listType: 'atomic' }),
  }),
  'networking.v1.IngressLoadBalancerIngress': obj('One address of an ingress load balancer.', {
    ip: str('IP address.'),
    hostname: str('DNS name.'),
    ports: list(ref('networking.v1.IngressPortStatus'), 'Status of each port.', { listType: 'atomic' }),
  }),
  'networking.v1.IngressPortStatus': obj('Error state of an ingress port.', {
    port: int32('Port number.'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'TCP, UDP or SCTP.'),
    error: str('Problem with the port.'),
  }, ['port', 'protocol']),
  'networking.v1.IngressClass': obj('A kind of ingress and the controller that implements it.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('networking.v1.IngressClassSpec', 'Controller and parameters of the class.'),
  }),
  'networking.v1.IngressClassSpec': obj('Description of an ingress class.', {
    controller: str('Name of the implementing controller, such as example.com/ingress-controller.'),
    parameters: ref('networking.v1.IngressClassParametersReference', 'Object holding extra controller configuration.'),
  }),
  'networking.v1.IngressClassParametersReference': obj('Reference to a configuration object of an ingress class.', {
    apiGroup: str('API group of the object.'),
    kind: str('Kind of the object.'),
    name: str('Name of the object.'),
    scope: str('Cluster (default) or Namespace.'),
    namespace: str('Namespace of the object, when scope is Namespace.'),
  }, ['kind', 'name']),
  'networking.v1.NetworkPolicy': obj('Allowed traffic to and from a set of pods.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('networking.v1.NetworkPolicySpec', 'Pods selected and the traffic allowed.'),
  }),
  'networking.v1.NetworkPolicySpec': obj('Desired behaviour of a network policy.', {
    podSelector: ref('meta.v1.LabelSelector', 'Pods the policy applies to; empty selects all pods of the namespace.'),
    ingress: list(ref('networking.v1.NetworkPolicyIngressRule'), 'Allowed incoming traffic.', { listType: 'atomic' }),
    egress: list(ref('networking.v1.NetworkPolicyEgressRule'), 'Allowed outgoing traffic.', { listType: 'atomic' }),
    policyTypes: list(oneOf(['Ingress', 'Egress']), 'Directions the policy covers: Ingress, Egress or both.', { listType: 'atomic' }),
  }, ['podSelector']),
  'networking.v1.NetworkPolicyIngressRule': obj('Incoming traffic allowed by a policy.', {
    ports: list(ref('networking.v1.NetworkPolicyPort'), 'Ports allowed; empty allows all.', { listType: 'atomic' }),
    from: list(ref('networking.v1.NetworkPolicyPeer'), 'Sources allowed; empty allows all.', { listType: 'atomic' }),
  }),
  'networking.v1.NetworkPolicyPort': obj('A port or port range.', {
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'TCP (default), UDP or SCTP.'),
    port: intOrString('Port number or name; empty matches all ports.'),
    endPort: int32('Last port of a range starting at port.'),
  }),
  'networking.v1.NetworkPolicyPeer': obj('A source or destination of traffic.', {
    podSelector: ref('meta.v1.LabelSelector', 'Pods to match.'),
    namespaceSelector: ref('meta.v1.LabelSelector', 'Namespaces to match.'),
    ipBlock: ref('networking.v1.IPBlock', 'CIDR range to match.'),
  }),
  'networking.v1.IPBlock': obj('A CIDR range with exceptions.', {
    cidr: str('The range, such as 192.168.1.0/24.'),
    except: strList('Ranges inside cidr to exclude.', { listType: 'atomic' }),
  }, ['cidr']),
  'networking.v1.NetworkPolicyEgressRule': obj('Outgoing traffic allowed by a policy.', {
    ports: list(ref('networking.v1.NetworkPolicyPort'), 'Destination ports allowed; empty allows all.', { listType: 'atomic' }),
    to: list(ref('networking.v1.NetworkPolicyPeer'), 'Destinations allowed; empty allows all.', { listType: 'atomic' }),
  }),
};
