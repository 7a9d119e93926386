export * from './types.ts';
export { DockerRuntime } from './docker.ts';
export { pauseBinary, type Arch } from './pause-binary.ts';
