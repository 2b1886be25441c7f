const loaded = new Map<string, Promise<Record<string, unknown> | null>>();

/**
 * Imports an optional peer (`graphql`, `@nestjs/websockets`) on first use, once; `null` when it is
 * not installed. The library never imports them at load time, so apps without them run.
 */
export function loadOptionalPeer(name: string): Promise<Record<string, unknown> | null> {
  let module = loaded.get(name);
  if (!module) {
    module = import(name).then(
      (namespace: Record<string, unknown>) => namespace,
      () => null,
    );
    loaded.set(name, module);
  }
  return module;
}

/** A named export of a loaded peer, also when a CommonJS package only exposes it on `default`. */
export function exportOf<T>(namespace: Record<string, unknown> | null, name: string): T | undefined {
  if (!namespace) return undefined;
  const direct = namespace[name];
  if (direct !== undefined) return direct as T;
  const fallback = namespace.default;
  return typeof fallback === 'object' && fallback !== null ? ((fallback as Record<string, unknown>)[name] as T | undefined) : undefined;
}
