import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { pauseBinary, type Arch } from './pause-binary.ts';
import { tar } from './tar.ts';
import { PassThrough } from 'node:stream';
import { dockerAttach, dockerExecAttached, dockerLogs } from './docker-streams.ts';
import { dockerUsage } from './docker-stats.ts';
import { ImagePullError, RuntimeUnavailableError, type AttachedProcess, type AttachOptions, type ContainerRuntime, type ContainerSpec, type ContainerStatus, type ContainerUsage, type ExecResult, type LogOptions, type NetworkSpec } from './types.ts';

const PAUSE_REPO = 'skiff/pause';

/**
 * ContainerRuntime over the Docker Engine API (dockerode): DOCKER_HOST when set, else
 * /var/run/docker.sock. Engine errors other than "not found" pass through as they are.
 */
export class DockerRuntime implements ContainerRuntime {
  private readonly docker: Docker;

  constructor(opts: { socketPath?: string } = {}) {
    this.docker = opts.socketPath ? new Docker({ socketPath: opts.socketPath }) : new Docker();
  }

  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (err) {
      const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
      throw new RuntimeUnavailableError(`cannot reach the Docker engine at ${where} (${(err as Error).message}); start it (systemctl start docker, or run dockerd) or point DOCKER_HOST at it`);
    }
  }

  async version(): Promise<string> {
    const v = await this.docker.version();
    return `docker://${v.Version}`;
  }

  async ensureNetwork(net: NetworkSpec): Promise<void> {
    const existing = (await this.docker.listNetworks({ filters: { name: [net.name] } })).find((n) => n.Name === net.name);
    if (existing) {
      const subnets = (existing.IPAM?.Config ?? []).map((c) => c.Subnet);
      if (subnets.includes(net.subnet)) return;
      throw new Error(`Docker network ${net.name} exists with subnet ${subnets.join(',') || 'none'}, not ${net.subnet}; remove it (docker network rm ${net.name}) or run skiff killall`);
    }
    await this.docker.createNetwork({
      Name: net.name,
      Driver: 'bridge',
      CheckDuplicate: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: net.subnet, Gateway: net.gateway }] },
      Options: { 'com.docker.network.bridge.name': net.bridge, 'com.docker.network.bridge.enable_ip_masquerade': 'true' },
      Labels: net.labels ?? {},
    });
  }

  /** Names of networks carrying every label given (an empty value matches any value). */
  async listNetworks(labels: Record<string, string>): Promise<string[]> {
    const label = Object.entries(labels).map(([k, v]) => (v ? `${k}=${v}` : k));
    return (await this.docker.listNetworks({ filters: { label } })).map((n) => n.Name);
  }

  async removeNetwork(name: string): Promise<void> {
    await ignoreNotFound(this.docker.getNetwork(name).remove());
  }

  async hasImage(ref: string): Promise<boolean> {
    return (await ignoreNotFound(this.docker.getImage(ref).inspect())) !== undefined;
  }

  async pullImage(ref: string): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(ref);
    } catch (err) {
      throw new ImagePullError(engineMessage(err));
    }
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
        const failed = err?.message ?? events.find((e) => e.error)?.error;
        if (failed) reject(new ImagePullError(failed));
        else resolve();
      });
    });
  }

  async importImages(archive: NodeJS.ReadableStream): Promise<string[]> {
    const out = await this.docker.loadImage(archive, { quiet: true });
    const events = await new Promise<{ stream?: string; error?: string }[]>((resolve, reject) => {
      this.docker.modem.followProgress(out, (err: Error | null, evs: { stream?: string; error?: string }[]) => (err ? reject(err) : resolve(evs)));
    });
    const failed = events.find((e) => e.error);
    if (failed) throw new Error(`image import failed: ${failed.error}`);
    // "Loaded image: name:tag" (or "Loaded image ID: sha256:…" for untagged images).
    return events.flatMap((e) => /^Loaded image(?: ID)?: (\S+)/.exec(e.stream ?? '')?.[1] ?? []);
  }

  async ensurePauseImage(): Promise<string> {
    const arch: Arch = process.arch === 'arm64' ? 'arm64' : 'x64';
    const binary = pauseBinary(arch);
    // The tag names the binary's content, so a changed binary is a new image and never stale.
    const ref = `${PAUSE_REPO}:${createHash('sha256').update(binary).digest('hex').slice(0, 12)}`;
    if (await this.hasImage(ref)) return ref;
    const [repo, tag] = ref.split(':');
    const out = await this.docker.importImage(Readable.from([tar([{ name: 'pause', data: binary, mode: 0o755 }])]), { repo, tag });
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(out, (err: Error | null, events: { error?: string }[]) => {
        const failed = err?.message ?? events.find((e) => e.error)?.error;
        if (failed) reject(new Error(`building the sandbox image ${ref}: ${failed}`));
        else resolve();
      });
    });
    return ref;
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const c = await this.docker.createContainer(createOptions(spec));
    return c.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).start();
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.ceil(graceSeconds)) });
    } catch (err) {
      const code = (err as { statusCode?: number }).statusCode;
      if (code !== 304 && code !== 404) throw err; // 304: already stopped
    }
  }

  async removeContainer(id: string): Promise<void> {
    await ignoreNotFound(this.docker.getContainer(id).remove({ force: true, v: true }));
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerStatus[]> {
    const label = Object.entries(labels).map(([k, v]) => (v ? `${k}=${v}` : k));
    const list = await this.docker.listContainers({ all: true, filters: { label } });
    const out: ContainerStatus[] = [];
    for (const c of list) {
      const s = await this.inspectContainer(c.Id);
      if (s) out.push(s);
    }
    return out;
  }

  async exec(id: string, cmd: string[], opts: { timeoutMs: number }): Promise<ExecResult> {
    return dockerExec(this.docker, id, cmd, opts.timeoutMs);
  }

  logs(id: string, opts: LogOptions): Promise<AsyncIterable<Buffer>> {
    return dockerLogs(this.docker, id, opts);
  }

  execAttached(id: string, cmd: string[], opts: AttachOptions): Promise<AttachedProcess> {
    return dockerExecAttached(this.docker, id, cmd, opts);
  }

  attach(id: string, opts: AttachOptions): Promise<AttachedProcess> {
    return dockerAttach(this.docker, id, opts);
  }

  containerUsage(labels: Record<string, string>): Promise<ContainerUsage[]> {
    return dockerUsage(this.docker, labels);
  }

  async inspectContainer(id: string): Promise<ContainerStatus | undefined> {
    const i = await ignoreNotFound(this.docker.getContainer(id).inspect());
    if (!i) return undefined;
    const st = i.State;
    const nets = Object.values(i.NetworkSettings?.Networks ?? {});
    const unset = (t?: string) => (!t || t.startsWith('0001-01-01') ? undefined : t);
    return {
      id: i.Id,
      name: i.Name.replace(/^\//, ''),
      labels: i.Config.Labels ?? {},
      image: i.Config.Image,
      imageId: i.Image,
      state: st.Status as ContainerStatus['state'],
      exitCode: st.Status === 'exited' || st.Status === 'dead' ? st.ExitCode : undefined,
      oomKilled: st.OOMKilled || undefined,
      error: st.Error || undefined,
      createdAt: unset(i.Created),
      startedAt: unset(st.StartedAt),
      finishedAt: unset(st.FinishedAt),
      ip: nets.find((n) => n.IPAddress)?.IPAddress || undefined,
    };
  }
}

const EXEC_OUTPUT_LIMIT = 64 * 1024;

/** Docker exec: create, start attached, demultiplex stdout/stderr, then read the exit code. */
async function dockerExec(docker: Docker, id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
  const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') => {
    const p = new PassThrough();
    p.on('data', (d: Buffer) => {
      if (out[key].length < EXEC_OUTPUT_LIMIT) out[key] += d.toString('utf8').slice(0, EXEC_OUTPUT_LIMIT - out[key].length);
    });
    return p;
  };
  docker.modem.demuxStream(stream, sink('stdout'), sink('stderr'));
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<boolean>((resolve) => {
    stream.on('end', () => resolve(true));
    stream.on('close', () => resolve(true));
    stream.on('error', () => resolve(true));
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const finished = await ended;
  clearTimeout(timer);
  if (!finished) {
    stream.destroy();
    return { exitCode: -1, ...out, timedOut: true };
  }
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, ...out };
}

function createOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const net = spec.network;
  const portBindings: Record<string, { HostPort: string; HostIp?: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const p of spec.hostPorts ?? []) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    (portBindings[key] ??= []).push({ HostPort: String(p.hostPort), ...(p.hostIp ? { HostIp: p.hostIp } : {}) });
  }
  return {
    name: spec.name,
    Image: spec.image,
    Entrypoint: spec.entrypoint,
    Cmd: spec.cmd,
    Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
    WorkingDir: spec.workingDir,
    Labels: spec.labels,
    Hostname: net.kind === 'container' ? undefined : spec.hostname,
    User: spec.user,
    Tty: spec.tty ?? false,
    OpenStdin: spec.stdin ?? false,
    StdinOnce: spec.stdinOnce ?? false,
    AttachStdin: false,
    StopSignal: spec.stopSignal,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    HostConfig: {
      NetworkMode: net.kind === 'bridge' ? net.network : net.kind === 'host' ? 'host' : `container:${net.id}`,
      IpcMode: spec.hostIPC ? 'host' : net.kind === 'container' ? `container:${net.id}` : spec.sandbox ? 'shareable' : undefined,
      PidMode: spec.hostPID ? 'host' : spec.pidContainer ? `container:${spec.pidContainer}` : undefined,
      Binds: (spec.mounts ?? []).map((m) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`),
      Tmpfs: spec.tmpfs,
      CpuPeriod: spec.cpuPeriod,
      CpuQuota: spec.cpuQuota,
      CpuShares: spec.cpuShares,
      Memory: spec.memoryBytes,
      // No swap beyond the limit, so exceeding it is an OOM kill as on a kubelet node.
      MemorySwap: spec.memoryBytes,
      Privileged: spec.privileged ?? false,
      ReadonlyRootfs: spec.readOnlyRootfs ?? false,
      CapAdd: spec.capAdd,
      CapDrop: spec.capDrop,
      Dns: net.kind === 'container' ? undefined : spec.dns?.servers,
      DnsSearch: net.kind === 'container' ? undefined : spec.dns?.searches,
      DnsOptions: net.kind === 'container' ? undefined : spec.dns?.options,
      ExtraHosts: net.kind === 'container' ? undefined : spec.extraHosts,
      PortBindings: Object.keys(portBindings).length ? portBindings : undefined,
    },
    NetworkingConfig: net.kind === 'bridge' && net.ip
      ? { EndpointsConfig: { [net.network]: { IPAMConfig: { IPv4Address: net.ip } } } }
      : undefined,
  };
}

async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return e.json?.message ?? e.message ?? String(err);
}
