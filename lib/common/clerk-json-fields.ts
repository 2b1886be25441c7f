import { InvalidClerkPayloadError } from './invalid-clerk-payload.error.js';

// Checks for the fields the mappers copy into columns. A value PostgreSQL would refuse (too long
// for its varchar, a NUL byte, a number out of integer range) fails every retry the same way: it is
// refused here as bad input (400), before anything is written, instead of a 500 that Svix repeats.

/** Column lengths of the mirrored entities (`varchar(n)`). */
export const CLERK_FIELD_LIMITS = { id: 255, name: 255, username: 150, email: 320, url: 1000, role: 255 } as const;

const MAX_JSON_DEPTH = 64;
/** 4713 BC, the earliest `timestamptz` (JavaScript dates reach further back). */
const EARLIEST_TIMESTAMPTZ_MS = Date.UTC(-4712, 0, 1);

const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

function checkString(value: string, field: string, maxLength: number): string {
  if (value.length > maxLength) throw new InvalidClerkPayloadError(`"${field}" is longer than ${maxLength} characters`);
  if (value.includes('\u0000')) throw new InvalidClerkPayloadError(`"${field}" contains a NUL character`);
  return value;
}

/** A string field that may be absent or null (then `''`); any other type is refused. */
export function optionalText(value: unknown, field: string, maxLength: number): string {
  return optionalString(value, field, maxLength) ?? '';
}

/** A string field that may be absent or null (then `null`); any other type is refused. */
export function optionalString(value: unknown, field: string, maxLength: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidClerkPayloadError(`"${field}" must be a string, not ${describe(value)}`);
  return checkString(value, field, maxLength);
}

/** A Clerk id with its prefix (`user_`, `org_` …), at most a column's length. */
export function requiredClerkId(value: unknown, prefix: string, what: string): string {
  if (typeof value !== 'string' || !value.startsWith(prefix)) throw new InvalidClerkPayloadError(`not a Clerk ${what} (missing "id" ${prefix}…)`);
  return checkString(value, `${what} id`, CLERK_FIELD_LIMITS.id);
}

/** A millisecond timestamp that may be absent or null; any other type is refused (it would defeat the ordering guard). */
export function optionalMillis(value: unknown, field: string): Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidClerkPayloadError(`"${field}" must be a timestamp in milliseconds`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || value < EARLIEST_TIMESTAMPTZ_MS) throw new InvalidClerkPayloadError(`"${field}" is out of range`);
  return date;
}

/** A boolean that may be absent or null (then `false`). */
export function optionalFlag(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new InvalidClerkPayloadError(`"${field}" must be a boolean, not ${describe(value)}`);
  return value;
}

/** An integer column value (PostgreSQL `integer`), absent or null giving `null`. */
export function optionalInteger(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value) || (value as number) < -2147483648 || (value as number) > 2147483647) {
    throw new InvalidClerkPayloadError(`"${field}" must be an integer`);
  }
  return value as number;
}

/** A JSON object stored as `jsonb` (absent or null giving `{}`); arrays, scalars and NUL characters are refused. */
export function optionalJsonObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidClerkPayloadError(`"${field}" must be an object, not ${describe(value)}`);
  checkJson(value, field, 0);
  return value as Record<string, unknown>;
}

/** An array that may be absent or null (then `[]`); any other type is refused. */
export function optionalArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidClerkPayloadError(`"${field}" must be an array, not ${describe(value)}`);
  return value;
}

/** `jsonb` refuses `\u0000` in keys and strings; depth is bounded so a crafted payload cannot exhaust the stack. */
function checkJson(value: unknown, field: string, depth: number): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new InvalidClerkPayloadError(`"${field}" contains a NUL character`);
    return;
  }
  if (!value || typeof value !== 'object') return;
  if (depth > MAX_JSON_DEPTH) throw new InvalidClerkPayloadError(`"${field}" is nested too deeply`);
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) throw new InvalidClerkPayloadError(`"${field}" contains a NUL character`);
    checkJson(item, field, depth + 1);
  }
}
