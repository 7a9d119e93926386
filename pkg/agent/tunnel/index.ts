export { agentTunnel } from './tunnel.ts';
export type { AgentTunnelConfig } from './tunnel.ts';
