import type { Status, StatusCause } from './types/index.ts';

/**
 * Every API error is a Kubernetes `Status` (apimachinery's StatusError). Factories below are the
 * only places that word messages; they follow apimachinery's formats because kubectl prints them
 * verbatim (`Error from server (NotFound): pods "p1" not found`). `toStatus` is the one
 * chokepoint that turns anything thrown into a Status; unknown errors become a logged 500.
 */
export class StatusError extends Error {
  override name = 'StatusError';
  constructor(readonly status: Status & { code: number }) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

/** Names a resource the way messages do: "pods", "deployments.apps". */
export interface GroupResource {
  group: string;
  resource: string;
}
export const qualified = (r: GroupResource) => (r.group ? `${r.resource}.${r.group}` : r.resource);

function failure(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

// Go's encoder omits an empty group (core resources): clients compare these bodies.
const details = (r: GroupResource, name: string) => ({ name, ...(r.group ? { group: r.group } : {}), kind: r.resource });

export const notFound = (r: GroupResource, name: string) =>
  failure(404, 'NotFound', `${qualified(r)} "${name}" not found`, details(r, name));

export const pathNotFound = () => failure(404, 'NotFound', 'the server could not find the requested resource', {});

export const alreadyExists = (r: GroupResource, name: string) =>
  failure(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, details(r, name));

export const conflict = (r: GroupResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, details(r, name));

/** One field problem, as apimachinery's field.Error: `spec.replicas: Invalid value: -1: must be …`. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueDuplicate' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueNotFound';
  field: string;
  /** Already formatted detail, e.g. `Invalid value: "A_b": a lowercase RFC 1123 label must …`. */
  message: string;
}

/**
 * 422 Invalid. `kind` is the Kind ("Deployment"), `group` the API group: the message reads
 * `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be …`.
 */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  const what = group ? `${kind}.${group}` : kind;
  const list = errors.map((e) => `${e.field}: ${e.message}`);
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return failure(422, 'Invalid', `${what} "${name}" is invalid: ${summary}`, { name, ...(group ? { group } : {}), kind, causes });
}

export const badRequest = (message: string) => failure(400, 'BadRequest', message);
export const unauthorized = (message = 'Unauthorized') => failure(401, 'Unauthorized', message);
export const forbidden = (message: string, details?: Status['details']) => failure(403, 'Forbidden', message, details);
export const methodNotAllowed = (message = 'the server does not allow this method on the requested resource') => failure(405, 'MethodNotAllowed', message);
export const notAcceptable = (message: string) => failure(406, 'NotAcceptable', message);
export const expired = (message: string) => failure(410, 'Expired', message);
export const gone = (message: string) => failure(410, 'Gone', message);
export const requestTooLarge = (limit: number) => failure(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${limit} bytes`);
export const unsupportedMediaType = (type: string) => failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got "${type}")`);
/** A media type we accept whose content we cannot take (a protobuf kind outside the decoder's table). */
export const unsupportedMediaTypeMessage = (message: string) => failure(415, 'UnsupportedMediaType', message);
export const tooManyRequests = (message: string, retryAfterSeconds?: number) =>
  failure(429, 'TooManyRequests', message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });
export const internalError = (message: string) => failure(500, 'InternalError', `Internal error occurred: ${message}`);
export const timeout = (message: string) => failure(504, 'Timeout', message);

/** The one chokepoint: any thrown value → Status. `onUnknown` sees errors that were not StatusErrors (log them). */
export function toStatus(err: unknown, onUnknown?: (err: unknown) => void): Status & { code: number } {
  if (err instanceof StatusError) return err.status;
  onUnknown?.(err);
  return internalError(err instanceof Error ? err.message : String(err)).status;
}

export const isNotFound = (err: unknown) => err instanceof StatusError && err.code === 404;
export const isConflict = (err: unknown) => err instanceof StatusError && err.code === 409 && err.reason === 'Conflict';
export const isAlreadyExists = (err: unknown) => err instanceof StatusError && err.reason === 'AlreadyExists';

/** 409 Conflict of a server-side apply: one `FieldManagerConflict` cause per conflicting field. */
export const applyConflict = (message: string, causes: StatusCause[]) => failure(409, 'Conflict', message, { causes });
