// The node's service proxy (kube-proxy): services and EndpointSlices resolved into per-port plans,
// rendered as the node's own iptables chains (or served by userspace TCP relays without iptables).
export { serviceProxy } from './proxy.ts';
export type { ProxyMode, ServiceProxy, ServiceProxyOptions } from './proxy.ts';
export { planServices } from './model.ts';
export type { Backend, ServicePortPlan } from './model.ts';
export { builtinJumps, renderRules } from './rules.ts';
export type { Jump, RuleContext } from './rules.ts';
export { chainPrefix, chainsFor, masqMark, tagOf } from './chains.ts';
export type { Chains } from './chains.ts';
export { Iptables } from './iptables.ts';
export type { SavedTable } from './iptables.ts';
export { UserspaceProxy } from './userspace.ts';
export { ensureHairpin } from './hairpin.ts';
