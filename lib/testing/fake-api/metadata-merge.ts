/** Clerk's server-side metadata merge (`PATCH /v1/users/:id/metadata`), as the fake applies it. */

type Json = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A deep merge of `patch` into `current`, as Clerk documents it: nested objects merge, any other value
 * (arrays included) replaces, and `null` deletes the key at any level. Returns a new object.
 */
export function mergeClerkMetadata(current: Json, patch: Json): Json {
  const merged: Json = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (isPlainObject(value) && isPlainObject(merged[key])) merged[key] = mergeClerkMetadata(merged[key], value);
    else merged[key] = isPlainObject(value) ? mergeClerkMetadata({}, value) : structuredClone(value);
  }
  return merged;
}
