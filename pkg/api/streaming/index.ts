// Streaming endpoints of the API (DESIGN.md §4): pods/log, exec, attach and portforward, served
// through the agents' tunnels, and the tunnel endpoint agents connect to.
export { streamingFront } from './front.ts';
export type { StreamingFront, StreamingRequest } from './front.ts';
export type { Upgrade } from './upgrade.ts';
