import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** HTTP plumbing of the fake Backend API: routing, bodies and Clerk-shaped responses. */

export interface JsonResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface PendingFailure {
  status: number;
  retryAfterSeconds: number | undefined;
  remaining: number;
  pathPrefix: string | undefined;
}

export type RouteHandler = (params: string[], query: URLSearchParams, body: unknown) => JsonResponse;

export interface Route {
  method: string;
  // `:param` segments match anything and are passed to the handler in order.
  pattern: string[];
  handle: RouteHandler;
}

/** Thrown inside route handlers to answer an error without threading results through every helper. */
export class HttpError extends Error {
  constructor(readonly response: JsonResponse) {
    super(`HTTP ${response.status}`);
  }
}

/** Larger request bodies are refused (413): the fake only ever needs small JSON bodies. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ParsedBody {
  value: unknown;
  /** Set when the body cannot be used: the response to send instead of routing. */
  problem?: JsonResponse;
}

/** Reads the whole request body and parses it as JSON when there is one. */
export function readJsonBody(req: IncomingMessage): Promise<ParsedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', () => resolve({ value: undefined, problem: errorResponse(400, 'request_invalid', 'invalid request', 'The request body could not be read.') }));
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        resolve({ value: undefined, problem: errorResponse(413, 'request_body_too_large', 'request body too large', 'The request body is too large.') });
        return;
      }
      if (size === 0) {
        resolve({ value: undefined });
        return;
      }
      try {
        resolve({ value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve({ value: undefined, problem: errorResponse(400, 'malformed_request', 'malformed request', 'The request body is not valid JSON.') });
      }
    });
  });
}

export function listenOnLoopback(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export function splitUrl(rawUrl: string): { path: string; query: URLSearchParams } {
  // Parsed by hand: `new URL('//v1/users', base)` would read `v1` as a host name.
  if (!rawUrl.startsWith('/')) return splitAbsoluteUrl(rawUrl);
  const questionMark = rawUrl.indexOf('?');
  if (questionMark === -1) return { path: rawUrl, query: new URLSearchParams() };
  return { path: rawUrl.slice(0, questionMark), query: new URLSearchParams(rawUrl.slice(questionMark + 1)) };
}

// Proxies send absolute-form targets (`GET http://host/v1/users`); anything unparsable simply 404s.
export function splitAbsoluteUrl(rawUrl: string): { path: string; query: URLSearchParams } {
  try {
    const url = new URL(rawUrl);
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return { path: rawUrl, query: new URLSearchParams() };
  }
}

export function decodeSegments(path: string): string[] {
  try {
    return path
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError(errorResponse(400, 'request_invalid', 'invalid path', `The path ${path} is not valid.`));
  }
}

export function matchRoute(route: Route, method: string, segments: string[]): string[] | undefined {
  if (route.method !== method || route.pattern.length !== segments.length) return undefined;
  const params: string[] = [];
  for (const [index, part] of route.pattern.entries()) {
    if (part.startsWith(':')) params.push(segments[index]);
    else if (part !== segments[index]) return undefined;
  }
  return params;
}

export function ok(body: unknown): JsonResponse {
  return { status: 200, body };
}

export function notFound(): JsonResponse {
  return errorResponse(404, 'resource_not_found', 'not found', 'Resource not found');
}

export function unauthorized(): JsonResponse {
  return errorResponse(
    401,
    'authentication_invalid',
    'Unauthorized request',
    'You are not authorized to perform this request: the Authorization header must be "Bearer <secret key>".',
  );
}

export function invalidParam(name: string, longMessage: string): JsonResponse {
  return errorResponse(422, 'form_param_value_invalid', 'is invalid', longMessage, { param_name: name });
}

// Codes as the real BAPI uses them, so error handling keyed on `code` can be exercised.
const FAILURE_CODES: Record<number, [code: string, message: string, longMessage: string]> = {
  401: ['authentication_invalid', 'Unauthorized request', 'Injected authentication failure.'],
  403: ['authorization_invalid', 'Unauthorized request', 'Injected authorization failure.'],
  404: ['resource_not_found', 'not found', 'Resource not found'],
  422: ['form_param_value_invalid', 'is invalid', 'Injected validation failure.'],
  429: ['too_many_requests', 'Too many requests', 'Too many requests, retry later.'],
};

export function failureResponse(failure: PendingFailure): JsonResponse {
  const [code, message, longMessage] =
    FAILURE_CODES[failure.status] ??
    (failure.status >= 500
      ? ['internal_clerk_error', 'Oops, an unexpected error occurred', 'There was an internal error on our servers.']
      : ['request_invalid', 'Injected failure', `Injected ${failure.status} failure.`]);
  const response = errorResponse(failure.status, code, message, longMessage);
  // @clerk/backend reads Retry-After into ClerkAPIResponseError.retryAfter; a real 429 always sends it.
  const retryAfter = failure.retryAfterSeconds ?? (failure.status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) response.headers = { 'Retry-After': String(retryAfter) };
  return response;
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  longMessage: string,
  meta: Record<string, unknown> = {},
): JsonResponse {
  return {
    status,
    body: {
      errors: [{ code, message, long_message: longMessage, meta }],
      meta: {},
      clerk_trace_id: randomBytes(16).toString('hex'),
    },
  };
}

export function sendJson(res: ServerResponse, response: JsonResponse): void {
  const body = JSON.stringify(response.body);
  // Exactly `application/json`: @clerk/backend compares with === and returns the raw text for anything else.
  res.writeHead(response.status, {
    ...response.headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
