/**
 * What the node agent needs from a container engine (DESIGN.md §6). DockerRuntime implements it
 * against the local Docker engine; the pod logic above it never sees Docker types.
 */
export interface ContainerRuntime {
  /** Fails with RuntimeUnavailableError (a one-line message on how to fix it) when unreachable. */
  ping(): Promise<void>;
  /** For Node.status.nodeInfo.containerRuntimeVersion, e.g. `docker://20.10.24`. */
  version(): Promise<string>;

  /** A bridge network with this subnet exists (created if missing; an existing one is reused). */
  ensureNetwork(net: NetworkSpec): Promise<void>;
  removeNetwork(name: string): Promise<void>;
  /** Names of networks carrying every label given (an empty value matches any value). */
  listNetworks(labels: Record<string, string>): Promise<string[]>;

  hasImage(ref: string): Promise<boolean>;
  /** Pulls `ref`; fails with ImagePullError carrying the engine's message. */
  pullImage(ref: string): Promise<void>;
  /** Loads images from a `docker save` / OCI archive (air-gapped nodes); returns the names loaded. */
  importImages(archive: NodeJS.ReadableStream): Promise<string[]>;
  /** The sandbox image, built locally the first time; returns its reference. */
  ensurePauseImage(): Promise<string>;

  /** Creates (does not start) a container; returns its id. */
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM (or the image's stop signal), SIGKILL after `graceSeconds`. Stopped already: no-op. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  /** Removes a container and its anonymous volumes, killing it if it runs. Gone already: no-op. */
  removeContainer(id: string): Promise<void>;
  /** Containers (running or not) carrying every label given (an empty value matches any value). */
  listContainers(labels: Record<string, string>): Promise<ContainerStatus[]>;
  /** undefined when the container does not exist. */
  inspectContainer(id: string): Promise<ContainerStatus | undefined>;
  /**
   * Runs a command in a running container and collects its output (at most 64 KiB of each
   * stream). After `timeoutMs` resolves with `timedOut` (the engine cannot kill an exec'd process;
   * it is left to finish, as with the kubelet on Docker).
   */
  exec(id: string, cmd: string[], opts: { timeoutMs: number }): Promise<ExecResult>;

  /**
   * A container's output as the engine kept it, stdout and stderr interleaved in the order they
   * were written; each chunk is whole lines except when a line is longer than the engine's
   * buffer. With `follow` the stream goes on until the container stops or `signal` aborts.
   */
  logs(id: string, opts: LogOptions): Promise<AsyncIterable<Buffer>>;
  /** Starts `cmd` in a running container with the standard streams asked for attached. */
  execAttached(id: string, cmd: string[], opts: AttachOptions): Promise<AttachedProcess>;
  /** Attaches to the main process of a running container. */
  attach(id: string, opts: AttachOptions): Promise<AttachedProcess>;

  /**
   * One usage sample of each running container carrying every label given: a one-shot read (the
   * engine does not wait for a second sample), so rates are the caller's to compute between
   * calls. Containers that stop while being read are left out.
   */
  containerUsage(labels: Record<string, string>): Promise<ContainerUsage[]>;
}

/** A container's cumulative CPU time and current memory, as cAdvisor reports them. */
export interface ContainerUsage {
  id: string;
  labels: Record<string, string>;
  /** When the engine read the sample (ms since the epoch). */
  timestamp: number;
  /** CPU time used since the container started, in nanoseconds (all cores). */
  cpuUsageNanoSeconds: number;
  /** Memory usage less inactive page cache (cAdvisor's working set), in bytes. */
  memoryWorkingSetBytes: number;
}

export interface LogOptions {
  follow: boolean;
  /** Prefix each line with its RFC 3339 time (nanoseconds) and a space. */
  timestamps: boolean;
  /** Only the last N lines. */
  tail?: number;
  /** Unix seconds (fractional): only lines written at or after. */
  since?: number;
  signal?: AbortSignal;
}

export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * A process whose standard streams are attached. `output` yields stdout (1) and stderr (2)
 * chunks in order and ends when the process's output ends (for a TTY everything is stdout).
 * `exitCode()` resolves after that: the exec'd process's code, or undefined for an attach.
 */
export interface AttachedProcess {
  output: AsyncIterable<{ stream: 1 | 2; data: Buffer }>;
  writeStdin(data: Buffer): void;
  /** EOF on the process's stdin (exec); an attach only stops forwarding. */
  closeStdin(): void;
  resize(width: number, height: number): Promise<void>;
  exitCode(): Promise<number | undefined>;
  /** Detaches; the process itself is left to the engine (as with the kubelet on Docker). */
  close(): void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}

export interface NetworkSpec {
  name: string;
  /** e.g. 10.42.0.0/24 */
  subnet: string;
  /** e.g. 10.42.0.1 */
  gateway: string;
  /** Linux bridge device name (at most 15 characters). */
  bridge: string;
  labels?: Record<string, string>;
}

export interface Mount {
  /** Host path. */
  source: string;
  target: string;
  readOnly?: boolean;
}

export type NetworkMode =
  | { kind: 'bridge'; network: string; ip?: string; hostname?: string }
  /** Share the network (and IPC) namespace of another container: a pod's sandbox. */
  | { kind: 'container'; id: string }
  | { kind: 'host' };

export interface ContainerSpec {
  name: string;
  image: string;
  /** Replaces the image's entrypoint (pod `command`). */
  entrypoint?: string[];
  /** Replaces the image's cmd (pod `args`). */
  cmd?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  labels: Record<string, string>;
  network: NetworkMode;
  /** Join that container's PID namespace (an ephemeral container with a target container). */
  pidContainer?: string;
  /** The host's PID or IPC namespace (pod hostPID, hostIPC); they win over the joins. */
  hostPID?: boolean;
  hostIPC?: boolean;
  /** Other containers will join this one's namespaces (a pod sandbox): its IPC must be shareable. */
  sandbox?: boolean;
  /** Only for bridge/host networking; containers joined to a sandbox inherit it. */
  hostname?: string;
  dns?: { servers: string[]; searches: string[]; options: string[] };
  extraHosts?: string[];
  mounts?: Mount[];
  /** tmpfs mounts: target → options (e.g. `size=64m`). */
  tmpfs?: Record<string, string>;
  /**
   * CPU limit as a CFS quota per period, in microseconds (kubelet's: 100 ms periods, quota =
   * millicores × period / 1000, at least 1 ms). Unlike a nano-CPU limit, the engine takes a quota
   * above the host's cores, as a node takes a pod limited to more cores than it has.
   */
  cpuPeriod?: number;
  cpuQuota?: number;
  /** Relative CPU weight from requests. */
  cpuShares?: number;
  memoryBytes?: number;
  user?: string;
  privileged?: boolean;
  readOnlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  tty?: boolean;
  stdin?: boolean;
  /** Close the process's stdin when the first attached client closes its own (kubectl run -i). */
  stdinOnce?: boolean;
  /** container port/protocol → host port */
  hostPorts?: { containerPort: number; protocol: 'tcp' | 'udp' | 'sctp'; hostPort: number; hostIp?: string }[];
  stopSignal?: string;
}

export interface ContainerStatus {
  id: string;
  name: string;
  labels: Record<string, string>;
  image: string;
  imageId: string;
  state: 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead' | 'removing';
  exitCode?: number;
  oomKilled?: boolean;
  /** Engine error text when the container could not start. */
  error?: string;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The address on its bridge network (sandboxes). */
  ip?: string;
}

export class RuntimeUnavailableError extends Error {}

export class ImagePullError extends Error {}
