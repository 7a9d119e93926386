import type { IncomingMessage } from 'node:http';
import { load } from 'js-yaml';
import { decodeKubernetesProtobuf, ProtobufError, UnsupportedProtobufError } from '../protobuf/index.ts';
import type { PatchType } from '../request.ts';
import { badRequest, requestTooLarge, unsupportedMediaType, unsupportedMediaTypeMessage } from '../status.ts';

/** kube-apiserver's limit on request bodies. */
export const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw requestTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw requestTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const mediaType = (req: IncomingMessage) => (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();

export const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** A PATCH body and its type; 415 for anything else. JSON patches are arrays, the rest objects. */
export function decodePatch(req: IncomingMessage, raw: Buffer): { type: PatchType; patch: unknown } {
  const type = patchTypes[mediaType(req)];
  if (!type) throw unsupportedMediaType(mediaType(req));
  const patch = type === 'apply' ? parseYaml(raw) : parseJson(raw);
  return { type, patch };
}

/**
 * A POST/PUT body: JSON, YAML or Kubernetes protobuf (the kinds client-go's typed clients send),
 * which must be an object.
 */
export function decodeObject(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const type = mediaType(req);
  let body: unknown;
  if (type === 'application/json' || type === '*/*') body = parseJson(raw);
  else if (type === 'application/vnd.kubernetes.protobuf') body = parseProtobuf(raw);
  else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') body = parseYaml(raw);
  else throw unsupportedMediaType(type);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request must be a JSON or YAML object');
  return body as Record<string, unknown>;
}

/** DELETE may carry DeleteOptions in its body; an empty body is fine. */
export function decodeOptionalObject(req: IncomingMessage, raw: Buffer): Record<string, unknown> | undefined {
  if (raw.length === 0 || raw.toString('utf8').trim() === '') return undefined;
  return decodeObject(req, raw);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(err as Error).message}`);
  }
}

function parseProtobuf(raw: Buffer): unknown {
  try {
    return decodeKubernetesProtobuf(raw);
  } catch (err) {
    if (err instanceof UnsupportedProtobufError) throw unsupportedMediaTypeMessage(err.message);
    if (err instanceof ProtobufError) throw badRequest(`the body of the request could not be decoded as protobuf: ${err.message}`);
    throw err;
  }
}

function parseYaml(raw: Buffer): unknown {
  try {
    // Repeated keys: last one wins, as upstream; fieldValidation judges them (duplicates.ts).
    return load(raw.toString('utf8'), { json: true });
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded as YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}
