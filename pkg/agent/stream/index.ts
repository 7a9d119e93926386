// The agent's streaming server: logs, exec, attach and port-forward requests arriving through
// the tunnel (pkg/agent/tunnel), served with the container runtime.
export { streamServer } from './serve.ts';
export type { StreamServerDeps } from './serve.ts';
