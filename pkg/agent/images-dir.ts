import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../util/index.ts';
import type { ContainerRuntime } from './runtime/index.ts';

/**
 * Air-gap images: every `*.tar` in `<data-dir>/agent/images` is loaded into the engine when the
 * agent starts (k3s's agent/images folder). A bad archive is logged and skipped.
 */
export async function importImagesDir(rt: ContainerRuntime, dataDir: string, log: Logger): Promise<string[]> {
  const dir = join(dataDir, 'agent', 'images');
  if (!existsSync(dir)) return [];
  const loaded: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.tar')).sort()) {
    try {
      const names = await rt.importImages(createReadStream(join(dir, f)));
      log.info('imported images', { file: f, images: names });
      loaded.push(...names);
    } catch (err) {
      log.warn('could not import image archive', { file: f, err: (err as Error).message });
    }
  }
  return loaded;
}
