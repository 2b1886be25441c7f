import type { ClerkUserJson } from '../../users/clerk-user-json.interface.js';
import { optionalObject, requireObjectBody } from './user-writes.js';

/** Clerk's server-side metadata merge (`PATCH /v1/users/:id/metadata`), as the fake applies it. */

type Json = Record<string, unknown>;

const METADATA_KEYS = ['public_metadata', 'private_metadata', 'unsafe_metadata'] as const;

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

/**
 * The user fields a `PATCH /v1/users/:id/metadata` body sets: each metadata object it names merged into
 * the user's. Applied in one step per request, so concurrent merges of different keys all survive.
 */
export function metadataMergePatch(rawBody: unknown, current: ClerkUserJson): Partial<ClerkUserJson> {
  const body = requireObjectBody(rawBody);
  const patch: Partial<ClerkUserJson> = {};
  for (const key of METADATA_KEYS) {
    const update = optionalObject(body, key);
    const stored = current[key];
    if (update) patch[key] = mergeClerkMetadata(isPlainObject(stored) ? stored : {}, update);
  }
  return patch;
}
