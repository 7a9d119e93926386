import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServed, kubectlBin, untilServed, waitForOutput } from './harness.ts';
import { containerYaml, image, podYaml, runningPod, startCluster, until, type StreamingCluster } from './streaming-helpers.ts';

// kubectl logs, exec and attach through the agents' tunnels: the server's own agent, and a
// second agent process that the API can reach only through the tunnel it opened.
let c: StreamingCluster;

beforeAll(async () => {
  if (!apiServed) return;
  c = await startCluster('strm');
  await until(c.s, 'both nodes Ready', () => c.s.kubectl(['get', 'nodes', '--no-headers']).stdout,
    (out) => [c.local, c.remote].every((n) => new RegExp(`^${n}\\s+Ready\\s`, 'm').test(out)));
  const ticker = containerYaml('ticker', 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.3; done');
  await Promise.all([
    runningPod(c.s, 'duo', podYaml('duo', c.local, `${containerYaml('one', 'echo from one; echo one err >&2; sleep 1000')}${containerYaml('two', 'echo from two; sleep 1000')}`)),
    runningPod(c.s, 'ticker', podYaml('ticker', c.local, ticker)),
    runningPod(c.s, 'far', podYaml('far', c.remote, containerYaml('c', 'echo far away; sleep 1000'))),
    runningPod(c.s, 'talker', podYaml('talker', c.local, containerYaml('c', 'while read l; do echo "heard $l"; done', '    stdin: true\n'))),
  ]);
});
afterAll(async () => {
  await c?.stop();
});

describe.skipIf(!apiServed)(`kubectl logs, exec and attach${untilServed}`, () => {
  it('logs: a container by -c, the default error for several, tail and timestamps', async () => {
    expect(c.s.kubectl(['logs', 'duo', '-c', 'two']).stdout).toBe('from two\n');
    expect(c.s.kubectl(['logs', 'duo', '-c', 'one']).stdout.split('\n').sort()).toEqual(['', 'from one', 'one err']);
    const tail = c.s.kubectl(['logs', 'ticker', '--tail=2', '--timestamps']);
    expect(tail.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick \d+\n\d{4}-\d\d-\d\dT\S+Z tick \d+\n$/);
    expect(c.s.kubectl(['logs', 'ticker', '--limit-bytes=5']).stdout).toBe('tick ');
    const raw = c.s.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/duo/log']);
    expect(raw.stderr).toContain('a container name must be specified for pod duo, choose one of: [one two]');
  });

  it('logs -f: sees lines written after it started', async () => {
    const follow = c.s.kubectlSpawn(['logs', '-f', 'ticker', '--tail=1']);
    try {
      const seen = await waitForOutput(follow, /tick (\d+)\n(.|\n)*tick \d+\n(.|\n)*tick \d+\n/);
      const numbers = [...seen.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
      expect(numbers.slice(1)).toEqual(numbers.slice(1).map((_, i) => numbers[0]! + i + 1));
    } finally {
      follow.kill();
    }
  });

  it('logs --previous: the run before a restart', async () => {
    const yaml = podYaml('phoenix', c.local, containerYaml('c', 'n=$(cat /data/n 2>/dev/null || echo 0); echo "run $n"; echo $((n+1)) > /data/n; if [ "$n" -ge 1 ]; then sleep 1000; fi; exit 1',
      '    volumeMounts: [{name: d, mountPath: /data}]\n'), '  volumes: [{name: d, emptyDir: {}}]\n');
    expect(c.s.kubectl(['apply', '-f', '-'], { input: yaml }).code).toBe(0);
    await until(c.s, 'phoenix restarted and running', () => c.s.kubectl(['get', 'pod', 'phoenix', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}/{.status.containerStatuses[0].ready}']).stdout, (v) => v === '1/true');
    expect(c.s.kubectl(['logs', 'phoenix']).stdout).toBe('run 1\n');
    expect(c.s.kubectl(['logs', 'phoenix', '--previous']).stdout).toBe('run 0\n');
    const none = c.s.kubectl(['logs', 'ticker', '--previous']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('previous terminated container "ticker" in pod "ticker" not found');
  });

  it('exec: output, stderr, exit codes, and stdin with -i', () => {
    const out = c.s.kubectl(['exec', 'duo', '-c', 'two', '--', 'sh', '-c', 'echo to-out; echo to-err >&2; hostname']);
    expect(out).toMatchObject({ code: 0, stdout: 'to-out\nduo\n', stderr: 'to-err\n' });
    const failed = c.s.kubectl(['exec', 'ticker', '--', 'sh', '-c', 'exit 3']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toBe('command terminated with exit code 3\n');
    const input = c.s.kubectl(['exec', '-i', 'ticker', '--', 'sh', '-c', 'wc -l; cat /proc/self/fd/0'], { input: 'a\nb\nc\n' });
    expect(input).toMatchObject({ code: 0, stdout: '3\n' });
  });

  it('exec -it: a terminal, with the session ending on the command exit code', () => {
    // kubectl asks for a TTY only with -i and a terminal for stdin: `script` gives it a pseudo-terminal.
    const cmd = `${kubectlBin} --cache-dir ${join(c.s.dir, 'kube-cache')} exec -it ticker -- sh -c 'test -t 0 && test -t 1 && echo is-a-tty; exit 5'`;
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, KUBECONFIG: c.s.kubeconfig, HOME: c.s.dir }, encoding: 'utf8', timeout: 60_000 });
    expect(tty.stdout).toContain('is-a-tty\r\n');
    expect(tty.status).toBe(5);
  });

  it('attach -i: talks to the main process', () => {
    // kubectl attach ends once its stdin is done (v5 closes the stream) and the output has been relayed.
    const r = c.s.kubectl(['attach', '-i', 'talker', '-c', 'c'], { input: 'hello\nworld\n' });
    expect(r.code).toBe(0);
    expect(c.s.kubectl(['logs', 'talker']).stdout).toBe('heard hello\nheard world\n');
  });

  it('run -i --rm: piped stdin reaches the process, which sees its end (stdinOnce) and finishes', () => {
    const r = c.s.kubectl(['run', 'piped', '--rm', '-i', '--restart=Never', `--image=${image}`, '--image-pull-policy=IfNotPresent', '--', 'sh', '-c', 'cat; echo done'], { input: 'piped line\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('piped line\ndone\npod "piped" deleted\n');
  });

  it('reaches pods on a joined agent through its tunnel', () => {
    expect(c.s.kubectl(['logs', 'far']).stdout).toBe('far away\n');
    expect(c.s.kubectl(['exec', 'far', '--', 'hostname'])).toMatchObject({ code: 0, stdout: 'far\n' });
  });

  it('answers with upstream\'s errors: missing pod 404, bad container 400, unreachable node 503', async () => {
    const missing = c.s.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/nope/log']);
    expect(missing.stderr).toContain('pods "nope" not found');
    const badContainer = c.s.kubectl(['exec', 'ticker', '-c', 'nope', '--', 'true']);
    expect(badContainer.stderr).toBe('Error from server (BadRequest): container nope is not valid for pod ticker\n');
    const ghost = `ghost-${c.local}`;
    expect(c.s.kubectl(['apply', '-f', '-'], { input: podYaml('haunted', ghost, containerYaml('c', 'true')) }).code).toBe(0);
    const logs = c.s.kubectl(['logs', 'haunted']);
    expect(logs.code).toBe(1);
    expect(logs.stderr).toContain(`node "${ghost}" has no agent connected to the API server`);
    const exec = c.s.kubectl(['exec', 'haunted', '--', 'true']);
    expect(exec.stderr).toContain(`node "${ghost}" has no agent connected to the API server`);
    expect(logs.stderr).toMatch(/^Error from server \(ServiceUnavailable\): /);
  });
});
