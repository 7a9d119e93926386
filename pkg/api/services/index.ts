// The public surface of pkg/api/services: service IP and node port allocation, and the
// `kubernetes` service.
export { serviceAllocator } from './allocator.ts';
export { serviceRanges, kubernetesServiceIP, defaultServiceCIDR, defaultNodePortRange, ipToInt, intToIp, type ServiceRanges } from './ranges.ts';
export { reconcileKubernetesService } from './kubernetes-service.ts';
