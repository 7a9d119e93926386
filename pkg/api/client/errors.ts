import { StatusError } from '../status.ts';
import type { Status } from '../types/index.ts';

// Reasons and wording for failed responses that carry no Status, after client-go's
// NewGenericServerResponse, so callers can still branch on `code` and `reason`.
const generic: Record<number, [reason: string, message: string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
  403: ['Forbidden', 'the server does not allow access to the requested resource'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  406: ['NotAcceptable', 'the server was unable to respond with a content type that the client supports'],
  409: ['Conflict', 'the server reported a conflict'],
  410: ['Gone', 'the server has asked for the client to provide a newer resource'],
  413: ['RequestEntityTooLarge', 'the request body is too large'],
  415: ['UnsupportedMediaType', 'the server was unable to handle the media type requested'],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
};

function isStatus(body: unknown): body is Status & { code: number } {
  return !!body && typeof body === 'object' && (body as Status).kind === 'Status' && typeof (body as Status).code === 'number';
}

/**
 * The error for a failed response: the server's own Status, exactly as sent, when the body is one;
 * otherwise a Status made up from the HTTP code (client-go's generic server response), with the
 * start of the body in the message.
 */
export function responseError(code: number, body: unknown, raw: string): StatusError {
  if (isStatus(body)) return new StatusError(body);
  const [reason, message] = generic[code] ?? ['InternalError', `an error on the server (${JSON.stringify(raw.slice(0, 200))}) has prevented the request from succeeding`];
  const detail = raw.trim() && generic[code] ? ` (${raw.trim().slice(0, 200)})` : '';
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${message}${detail}`, reason, code });
}

/**
 * A request that got no HTTP answer (connection refused, TLS failure, reset): 503
 * ServiceUnavailable, like an unreachable apiserver, with the socket error as `cause`.
 * Callers such as informers treat it as transient.
 */
export function transportError(err: unknown, method: string, url: string): StatusError {
  const why = err instanceof Error ? err.message : String(err);
  const e = new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${method} ${JSON.stringify(url)}: ${why}`, reason: 'ServiceUnavailable', code: 503 });
  (e as { cause?: unknown }).cause = err;
  return e;
}
