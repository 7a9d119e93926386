import { decodeMessage } from './decode.ts';
import { messageFor, schema } from './kinds.ts';
import { utf8 } from './well-known.ts';
import { ProtobufError, Reader, WireType } from './wire.ts';

/** The four bytes ("k8s\0") before every Kubernetes protobuf object. */
export const protobufMagic = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** A body in a form skiff cannot decode (a kind outside the table, an encoding); upstream's 415. */
export class UnsupportedProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedProtobufError';
  }
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

/**
 * A `application/vnd.kubernetes.protobuf` body as the JSON object the same request would have
 * sent as JSON: apiVersion and kind from the runtime.Unknown envelope, then the object's fields.
 * Throws ProtobufError for malformed bytes (400) and UnsupportedProtobufError for kinds and
 * encodings it does not decode (415).
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  const env = unwrap(body);
  if (!env.kind) throw new ProtobufError("Object 'Kind' is missing in the protobuf envelope");
  if (env.contentEncoding) throw new UnsupportedProtobufError(`content encoding "${env.contentEncoding}" is not supported`);
  const name = messageFor(env.apiVersion, env.kind);
  if (!name) throw new UnsupportedProtobufError(`protobuf is not decoded for ${env.apiVersion ? `${env.apiVersion}, ` : ''}Kind=${env.kind}; send it as application/json`);
  const obj = decodeMessage(schema, name, env.raw) as Record<string, unknown>;
  return { apiVersion: env.apiVersion, kind: env.kind, ...obj };
}

function unwrap(body: Uint8Array): Envelope {
  if (body.length < 4 || !protobufMagic.every((b, i) => body[i] === b)) {
    throw new ProtobufError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const r = new Reader(body.subarray(4));
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '' };
  while (!r.done()) {
    const { field, wireType } = r.tag();
    if (field >= 1 && field <= 4 && wireType !== WireType.bytes) throw new ProtobufError(`envelope field ${field} has wire type ${wireType}, which does not match its type`);
    if (field === 1) Object.assign(env, typeMeta(r.bytes()));
    else if (field === 2) env.raw = r.bytes();
    else if (field === 3) env.contentEncoding = utf8(r.bytes());
    else if (field === 4) r.bytes();
    else r.skip(wireType);
  }
  return env;
}

function typeMeta(payload: Uint8Array): { apiVersion: string; kind: string } {
  const r = new Reader(payload);
  const out = { apiVersion: '', kind: '' };
  while (!r.done()) {
    const { field, wireType } = r.tag();
    if ((field === 1 || field === 2) && wireType !== WireType.bytes) throw new ProtobufError(`typeMeta field ${field} has wire type ${wireType}, which does not match its type`);
    if (field === 1) out.apiVersion = utf8(r.bytes());
    else if (field === 2) out.kind = utf8(r.bytes());
    else r.skip(wireType);
  }
  return out;
}
