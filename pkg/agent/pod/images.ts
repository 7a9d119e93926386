import type { core } from '../../api/types/index.ts';
import type { ContainerRuntime } from '../runtime/index.ts';
import { ImagePullError } from '../runtime/index.ts';

export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Why a container waits for its image: the reason and message of its waiting state. */
export interface ImageWait {
  reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName';
  message: string;
}

/**
 * The kubelet's image step for one container: honour imagePullPolicy (upstream defaults it:
 * Always for `:latest` or no tag, else IfNotPresent), emit its events, and say why the
 * container must wait when the image is not there. `backingOff` is true while a previous pull
 * failure's back-off runs: no pull is tried, the container reports ImagePullBackOff.
 */
export async function ensureImage(rt: ContainerRuntime, c: core.Container, backingOff: boolean, emit: (e: PodEvent) => void, now: () => number = Date.now): Promise<ImageWait | undefined> {
  const image = c.image ?? '';
  if (!image || /\s/.test(image) || image !== image.trim()) {
    const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
    emit({ type: 'Warning', reason: 'InspectFailed', message });
    return { reason: 'InvalidImageName', message };
  }
  const policy = c.imagePullPolicy ?? defaultPullPolicy(image);
  const present = await rt.hasImage(image);
  if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
    if (present) {
      emit({ type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` });
      return undefined;
    }
    const message = `Container image "${image}" is not present with pull policy of Never`;
    emit({ type: 'Warning', reason: 'ErrImageNeverPull', message });
    return { reason: 'ErrImageNeverPull', message };
  }
  if (backingOff) {
    const message = `Back-off pulling image "${image}"`;
    emit({ type: 'Normal', reason: 'BackOff', message });
    return { reason: 'ImagePullBackOff', message };
  }
  emit({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` });
  const started = now();
  try {
    await rt.pullImage(image);
  } catch (err) {
    if (!(err instanceof ImagePullError)) throw err;
    emit({ type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${err.message}` });
    emit({ type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' });
    return { reason: 'ErrImagePull', message: err.message };
  }
  const took = ((now() - started) / 1000).toFixed(3).replace(/\.?0+$/, '');
  emit({ type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${image}" in ${took}s (${took}s including waiting)` });
  return undefined;
}

/** Upstream's defaulting: Always for `:latest` or an untagged name (digests pin it), else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}
