import type { ClerkClient } from '@clerk/backend';
import { ClerkApiTimeoutError, withDeadline } from './clerk-api-deadline.js';
import { recordClerkApiCall, type ClerkApiCallOutcome } from '../metrics/clerk-metrics.js';

/** Members of the client that are not Backend API namespaces. */
const NOT_API = new Set<PropertyKey>(['telemetry']);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/** How a failed call ended, for the metrics: the HTTP status Clerk answered (429 included), or no answer. */
function outcomeOf(error: unknown): ClerkApiCallOutcome {
  if (error instanceof ClerkApiTimeoutError) return { errorType: 'timeout' };
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return { status, errorType: String(status) };
  return { errorType: (error as { name?: unknown } | null)?.name === 'TypeError' ? 'network' : '_OTHER' };
}

/** Settles like `pending` within `timeoutMs`, and counts the call as `operation` once it has. */
function timedCall<T>(operation: string, pending: PromiseLike<T>, timeoutMs: number): Promise<T> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  return withDeadline(pending, timeoutMs).then(
    (value) => {
      recordClerkApiCall(operation, {}, seconds());
      return value;
    },
    (error: unknown) => {
      recordClerkApiCall(operation, outcomeOf(error), seconds());
      throw error;
    },
  );
}

/** The namespace (`users`, `organizations`, …) with each method's promise bounded by `timeoutMs` and counted. */
function timedNamespace<T extends object>(name: string, namespace: T, timeoutMs: number): T {
  const timed = new WeakMap<object, unknown>();
  return new Proxy(namespace, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = timed.get(value);
      if (!method) {
        method = (...args: unknown[]): unknown => {
          // `target`, not the proxy, as `this`: the SDK's classes may keep #private state.
          const result: unknown = Reflect.apply(value, target, args);
          return isThenable(result) ? timedCall(`${name}.${String(property)}`, result, timeoutMs) : result;
        };
        timed.set(value, method);
      }
      return method;
    },
  });
}

/**
 * The client with every Backend API call bounded by `timeoutMs` (rejecting with `ClerkApiTimeoutError`)
 * and counted in the `clerk.api.calls` metric (operation `users.getUser`, its status or timeout).
 *
 * `@clerk/backend` 3.x has no timeout, `AbortSignal` or custom `fetch` option: `createClerkClient`
 * passes only keys and URLs to its request builder, which calls the global `fetch` bound when the
 * package loads. So the wait is bounded here instead of the request: a call that outlives its deadline
 * is abandoned, its late answer dropped, and undici closes the socket when Clerk answers or after its
 * own 300-second headers timeout.
 */
export function withClerkApiTimeout(client: ClerkClient, timeoutMs: number): ClerkClient {
  const namespaces = new Map<PropertyKey, object>();
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (NOT_API.has(property) || typeof value !== 'object' || value === null) return value;
      let namespace = namespaces.get(property);
      if (!namespace) {
        namespace = timedNamespace(String(property), value, timeoutMs);
        namespaces.set(property, namespace);
      }
      return namespace;
    },
  });
}
