import type { ClerkClient } from '@clerk/backend';
import { withDeadline } from './clerk-api-deadline.js';

/** Members of the client that are not Backend API namespaces. */
const NOT_API = new Set<PropertyKey>(['telemetry']);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/** The namespace (`users`, `organizations`, …) with each method's promise bounded by `timeoutMs`. */
function timedNamespace<T extends object>(namespace: T, timeoutMs: number): T {
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
          return isThenable(result) ? withDeadline(result, timeoutMs) : result;
        };
        timed.set(value, method);
      }
      return method;
    },
  });
}

/**
 * The client with every Backend API call bounded by `timeoutMs` (rejecting with `ClerkApiTimeoutError`).
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
        namespace = timedNamespace(value, timeoutMs);
        namespaces.set(property, namespace);
      }
      return namespace;
    },
  });
}
