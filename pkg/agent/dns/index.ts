// The node's cluster DNS: the wire codec, the answers from services and EndpointSlices, the server
// (UDP and TCP, forwarding other names) and the host's resolver configuration.
export { clusterDns } from './cluster-dns.ts';
export type { ClusterDnsOptions } from './cluster-dns.ts';
export { DnsServer } from './server.ts';
export type { DnsServerOptions } from './server.ts';
export { answer, isHeadless } from './records.ts';
export type { DnsSource } from './records.ts';
export { forward } from './forward.ts';
export type { Upstream } from './forward.ts';
export { formatResolvConf, hostDns, isLoopback, parseResolvConf } from './resolv-conf.ts';
export type { HostDns, ResolvConf } from './resolv-conf.ts';
export { classIN, DnsFormatError, encodeReply, errorReply, parseQuery, RCode, RType } from './wire.ts';
export type { Query, Question, RecordData, Reply, ResourceRecord } from './wire.ts';
