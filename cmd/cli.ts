import { commands, type Command } from './commands.ts';
import { UsageError, formatFlags, parseFlags } from './flags.ts';

/** `skiff <command> [flags]`: exit code 0 on success, 1 on failure, 2 on a command-line mistake. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic === undefined) return print(overview(), 0);
    const cmd = commands.find((c) => c.name === topic);
    return cmd ? print(commandHelp(cmd), 0) : usage(`unknown command "${topic}"`);
  }
  if (name === '--version' || name === '-v') return run(commands.find((c) => c.name === 'version')!, []);
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) return usage(`unknown command "${name}"`);
  if (rest.includes('--help') || rest.includes('-h')) return print(commandHelp(cmd), 0);
  return run(cmd, rest);
}

async function run(cmd: Command, argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseFlags(cmd.flags, argv);
    const impl = await cmd.load();
    return await impl.run(values, positionals);
  } catch (err) {
    if (err instanceof UsageError) return usage(`${cmd.name}: ${err.message}`);
    process.stderr.write(`skiff ${cmd.name}: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}

function usage(msg: string): number {
  process.stderr.write(`skiff: ${msg} (see 'skiff help')\n`);
  return 2;
}

function print(text: string, code: number): number {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return code;
}

function overview(): string {
  const w = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'skiff: a Kubernetes distribution in one executable.',
    '',
    'Usage: skiff <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(w)}${c.summary}`),
    `  ${'help'.padEnd(w)}show help for a command: skiff help <command>`,
  ].join('\n');
}

export function commandHelp(cmd: Command): string {
  return [
    `skiff ${cmd.name}: ${cmd.summary}`,
    '',
    `Usage: ${cmd.usage ?? `skiff ${cmd.name} [flags]`}`,
    ...(cmd.flags.length ? ['', 'Flags:', formatFlags(cmd.flags)] : []),
    ...(cmd.details ? ['', cmd.details] : []),
  ].join('\n');
}
