import type { ClerkUserJson } from '../../users/clerk-user-json.interface.js';
import { buildClerkUser } from '../clerk-fixtures.js';
import { errorResponse, HttpError } from './http.js';
import type { UserIdentifierIndex } from './identifier-index.js';

/** Body checks of the fake's user writes (`POST /v1/users`, `PATCH /v1/users/:id`), answered as BAPI answers them. */

/** Hashers BAPI accepts in `password_hasher` (`@clerk/backend`'s `PasswordHasher` plus the ones its docs list). */
export const BAPI_PASSWORD_HASHERS: readonly string[] = [
  'argon2i', 'argon2id', 'awscognito', 'bcrypt', 'bcrypt_peppered', 'bcrypt_sha256_django', 'ldap_ssha', 'md5',
  'md5_phpass', 'md5_salted', 'pbkdf2_sha1', 'pbkdf2_sha256', 'pbkdf2_sha256_django', 'pbkdf2_sha512',
  'pbkdf2_sha512_hex', 'phpass', 'scrypt_firebase', 'scrypt_werkzeug', 'sha256', 'sha256_salted', 'sha512_symfony',
];

/** How a fake user got its password, for tests that check what was sent (plaintext passwords are not kept). */
export interface FakeUserCredentials {
  /** `plaintext` when `password` was sent, `digest` for `password_digest` + `password_hasher`, `none` when skipped. */
  kind: 'plaintext' | 'digest' | 'none';
  passwordHasher?: string;
  passwordDigest?: string;
}

/** What `POST /v1/users` stores: the user JSON and how its password was given. */
export interface CreatedFakeUser {
  json: ClerkUserJson;
  credentials: FakeUserCredentials;
}

type Body = Record<string, unknown>;

// Clerk's own limits: 8-character passwords, 4–64 character usernames.
const MIN_PASSWORD_LENGTH = 8;
const MIN_USERNAME_LENGTH = 4;
const MAX_USERNAME_LENGTH = 64;

export function requireObjectBody(body: unknown): Body {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as Body;
  throw new HttpError(errorResponse(400, 'request_invalid', 'invalid request', 'The request body must be a JSON object.'));
}

/**
 * Validates a `POST /v1/users` body against the users already stored and builds the new user, or
 * throws the 422 BAPI sends (`form_identifier_exists` with `param_name` `email_address`, `username` or
 * `external_id`; password and format errors). The password is required unless `skip_password_requirement`.
 */
export function createFakeUser(rawBody: unknown, identifiers: UserIdentifierIndex): CreatedFakeUser {
  const body = requireObjectBody(rawBody);
  const emails = optionalStringArray(body, 'email_address');
  for (const email of emails) {
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw formatInvalid('email_address', `${email} must be a valid email address.`);
  }
  const username = optionalString(body, 'username');
  if (username !== undefined) checkUsername(username);
  const externalId = optionalString(body, 'external_id');
  const credentials = readCredentials(body);
  assertIdentifiersFree(identifiers, undefined, { emails, username, externalId });

  const createdAt = optionalTimestamp(body, 'created_at') ?? Date.now();
  const json = buildClerkUser({
    email: emails[0] ?? null,
    username: username ?? null,
    firstName: optionalString(body, 'first_name') ?? null,
    lastName: optionalString(body, 'last_name') ?? null,
    publicMetadata: optionalObject(body, 'public_metadata') ?? {},
    privateMetadata: optionalObject(body, 'private_metadata') ?? {},
    banned: optionalBoolean(body, 'banned') ?? false,
    locked: optionalBoolean(body, 'locked') ?? false,
    createdAt,
    updatedAt: createdAt,
  });
  // The fixture builds one address; further ones are built the same way and appended (the first stays primary).
  const extraAddresses = emails.slice(1).flatMap((email) => buildClerkUser({ email, createdAt }).email_addresses ?? []);
  json.email_addresses = [...(json.email_addresses ?? []), ...extraAddresses];
  json.external_id = externalId ?? null;
  json.unsafe_metadata = optionalObject(body, 'unsafe_metadata') ?? {};
  json.password_enabled = credentials.kind !== 'none';
  return { json, credentials };
}

/**
 * The subset of `PATCH /v1/users/:id` the fake applies: names, username and external id (`null`
 * clears), and metadata objects, which this endpoint replaces whole (the merge is `/metadata`'s).
 */
export function readUserPatch(rawBody: unknown, current: ClerkUserJson, identifiers: UserIdentifierIndex): Partial<ClerkUserJson> {
  const body = requireObjectBody(rawBody);
  const patch: Partial<ClerkUserJson> = {};
  for (const key of ['first_name', 'last_name'] as const) {
    if (key in body) patch[key] = nullableString(body, key);
  }
  if ('username' in body) {
    const username = nullableString(body, 'username');
    if (username !== null) checkUsername(username);
    patch.username = username;
  }
  if ('external_id' in body) patch.external_id = nullableString(body, 'external_id');
  Object.assign(patch, replacedMetadata(body));
  assertIdentifiersFree(identifiers, current.id, {
    emails: [],
    username: typeof patch.username === 'string' ? patch.username : undefined,
    externalId: typeof patch.external_id === 'string' ? patch.external_id : undefined,
  });
  return patch;
}

/** `PUT /v1/users/:id/metadata` (`replaceUserMetadata`): each metadata object given replaces the stored one whole. */
export function replacedMetadata(rawBody: unknown): Partial<ClerkUserJson> {
  const body = requireObjectBody(rawBody);
  const patch: Partial<ClerkUserJson> = {};
  for (const key of ['public_metadata', 'private_metadata', 'unsafe_metadata'] as const) {
    const replacement = optionalObject(body, key);
    if (replacement) patch[key] = replacement;
  }
  return patch;
}

function assertIdentifiersFree(
  identifiers: UserIdentifierIndex,
  self: string | undefined,
  wanted: { emails: string[]; username: string | undefined; externalId: string | undefined },
): void {
  const takenByOther = (owner: string | undefined): boolean => owner !== undefined && owner !== self;
  if (wanted.emails.some((email) => takenByOther(identifiers.ownerOf('email_address', email)))) {
    throw identifierExists('email_address', 'That email address is taken. Please try another.');
  }
  if (wanted.username !== undefined && takenByOther(identifiers.ownerOf('username', wanted.username))) {
    throw identifierExists('username', 'That username is taken. Please try another.');
  }
  if (wanted.externalId !== undefined && takenByOther(identifiers.ownerOf('external_id', wanted.externalId))) {
    throw identifierExists('external_id', 'That external ID is taken. Please try another.');
  }
}

function readCredentials(body: Body): FakeUserCredentials {
  const password = optionalString(body, 'password');
  const passwordDigest = optionalString(body, 'password_digest');
  const passwordHasher = optionalString(body, 'password_hasher');
  if (passwordDigest !== undefined || passwordHasher !== undefined) {
    if (passwordDigest === undefined) throw paramMissing('password_digest');
    if (passwordHasher === undefined) throw paramMissing('password_hasher');
    if (!BAPI_PASSWORD_HASHERS.includes(passwordHasher)) {
      throw new HttpError(errorResponse(422, 'form_param_value_invalid', 'is invalid', `${passwordHasher} is not a supported password hasher.`, { param_name: 'password_hasher' }));
    }
    return { kind: 'digest', passwordHasher, passwordDigest };
  }
  if (password !== undefined) {
    if (password.length < MIN_PASSWORD_LENGTH && optionalBoolean(body, 'skip_password_checks') !== true) {
      throw new HttpError(errorResponse(422, 'form_password_length_too_short', 'is too short', `Passwords must be ${MIN_PASSWORD_LENGTH} characters or more.`, { param_name: 'password' }));
    }
    return { kind: 'plaintext' };
  }
  // Like an instance with passwords enabled (Clerk's default): a passwordless user needs the explicit flag.
  if (optionalBoolean(body, 'skip_password_requirement') !== true) throw paramMissing('password');
  return { kind: 'none' };
}

function checkUsername(username: string): void {
  if (username.length < MIN_USERNAME_LENGTH || username.length > MAX_USERNAME_LENGTH) {
    throw new HttpError(errorResponse(422, 'form_username_invalid_length', 'is invalid', `Username must be between ${MIN_USERNAME_LENGTH} and ${MAX_USERNAME_LENGTH} characters long.`, { param_name: 'username' }));
  }
  if (!/^[A-Za-z0-9_-]+$/.test(username)) {
    throw new HttpError(errorResponse(422, 'form_username_invalid_character', 'is invalid', 'Usernames can only contain letters, numbers and - or _ characters.', { param_name: 'username' }));
  }
}

function identifierExists(param: string, message: string): HttpError {
  return new HttpError(errorResponse(422, 'form_identifier_exists', message, message, { param_name: param }));
}

function paramMissing(param: string): HttpError {
  return new HttpError(errorResponse(422, 'form_param_missing', 'missing requested parameter', `${param} must be included.`, { param_name: param }));
}

function formatInvalid(param: string, longMessage: string): HttpError {
  return new HttpError(errorResponse(422, 'form_param_format_invalid', 'is invalid', longMessage, { param_name: param }));
}

function typeInvalid(param: string, expected: string): HttpError {
  return new HttpError(errorResponse(422, 'form_param_type_invalid', 'is invalid', `${param} must be ${expected}.`, { param_name: param }));
}

export function optionalString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw typeInvalid(key, 'a string');
  return value;
}

function nullableString(body: Body, key: string): string | null {
  return optionalString(body, key) ?? null;
}

export function optionalBoolean(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw typeInvalid(key, 'a boolean');
  return value;
}

export function optionalObject(body: Body, key: string): Record<string, unknown> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw typeInvalid(key, 'an object');
  return structuredClone(value as Record<string, unknown>);
}

export function optionalInteger(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw typeInvalid(key, 'a positive integer');
  return value;
}

function optionalStringArray(body: Body, key: string): string[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw typeInvalid(key, 'an array of strings');
  return value as string[];
}

// @clerk/backend sends Date parameters through JSON.stringify, so they arrive as RFC 3339 strings.
function optionalTimestamp(body: Body, key: string): number | undefined {
  const value = optionalString(body, key);
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw formatInvalid(key, `${key} must be an RFC 3339 timestamp.`);
  return time;
}
