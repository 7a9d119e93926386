import { kubernetesVersion, skiffCommit, skiffVersion } from '../pkg/util/version.ts';

export async function run(): Promise<number> {
  process.stdout.write(`skiff version v${skiffVersion} (${skiffCommit})\nkubernetes ${kubernetesVersion.gitVersion}\nnode ${process.version}\n`);
  return 0;
}
