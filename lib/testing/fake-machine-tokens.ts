import type { ClerkMachineTokenType } from '../auth/clerk-auth.interface.js';
import { generateClerkId } from './clerk-fixtures.js';

/** What {@link FakeClerkApi.issueMachineToken} accepts. */
export interface FakeMachineTokenInput {
  type: ClerkMachineTokenType;
  /** Default: a fresh `mch_…` for an M2M token, a fresh `user_…` for an API key or an OAuth token. */
  subject?: string;
  scopes?: string[];
  /** Custom claims of an M2M token or an API key. */
  claims?: Record<string, unknown> | null;
  /** Name of an API key. Default `fake-api-key`. */
  name?: string;
  /** OAuth application of an OAuth token. Default a fresh client id. */
  clientId?: string;
  /** Lifetime; negative gives an already expired token, `null` one that never expires. Default 3600 (API keys: never). */
  expiresInSeconds?: number | null;
  /** Issue it already revoked. */
  revoked?: boolean;
}

/** A stored machine token, as the fake's Backend API knows it. */
export interface FakeMachineTokenRecord {
  type: ClerkMachineTokenType;
  id: string;
  secret: string;
  subject: string;
  scopes: string[];
  claims: Record<string, unknown> | null;
  name: string;
  clientId: string;
  revoked: boolean;
  revocationReason: string | null;
  /** Epoch milliseconds, or `null`. */
  expiration: number | null;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
}

/** Opaque prefixes and the `object` of the verification response, as `@clerk/backend` 3.x expects them. */
const KINDS: Record<ClerkMachineTokenType, { prefix: string; object: string; notFound: string }> = {
  m2m_token: { prefix: 'mt', object: 'machine_to_machine_token', notFound: 'Machine token not found' },
  api_key: { prefix: 'ak', object: 'api_key', notFound: 'API key not found' },
  oauth_token: { prefix: 'oat', object: 'clerk_idp_oauth_access_token', notFound: 'OAuth token not found' },
};

/** The body field each verify endpoint reads the token from. */
export const MACHINE_VERIFY_FIELDS: Record<ClerkMachineTokenType, string> = {
  m2m_token: 'token',
  api_key: 'secret',
  oauth_token: 'access_token',
};

export function buildMachineTokenRecord(input: FakeMachineTokenInput, now: number = Date.now()): FakeMachineTokenRecord {
  const kind = KINDS[input.type];
  if (!kind) throw new Error(`FakeClerkApi: unknown machine token type ${String(input.type)}`);
  const lifetime = input.expiresInSeconds === undefined ? (input.type === 'api_key' ? null : 3600) : input.expiresInSeconds;
  return {
    type: input.type,
    id: generateClerkId(kind.prefix),
    secret: generateClerkId(kind.prefix),
    subject: input.subject ?? generateClerkId(input.type === 'm2m_token' ? 'mch' : 'user'),
    scopes: [...(input.scopes ?? [])],
    claims: input.claims ? structuredClone(input.claims) : null,
    name: input.name ?? 'fake-api-key',
    clientId: input.clientId ?? generateClerkId('client'),
    revoked: input.revoked ?? false,
    revocationReason: input.revoked ? 'revoked by the test' : null,
    expiration: lifetime === null ? null : now + lifetime * 1000,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
}

export function isMachineTokenExpired(record: FakeMachineTokenRecord, now: number = Date.now()): boolean {
  return record.expiration !== null && record.expiration <= now;
}

/** Why the Backend API refuses to verify `record` (`null`: it verifies), in Clerk's words. */
export function machineTokenRefusal(record: FakeMachineTokenRecord | undefined, type: ClerkMachineTokenType): string | null {
  if (!record || record.type !== type) return KINDS[type].notFound;
  if (record.revoked) return `${KINDS[type].notFound}: it was revoked`;
  if (isMachineTokenExpired(record)) return `${KINDS[type].notFound}: it has expired`;
  return null;
}

/** The verification response body (snake_case, `object` set) `@clerk/backend` turns into its resource. */
export function renderMachineToken(record: FakeMachineTokenRecord): Record<string, unknown> {
  const common = {
    object: KINDS[record.type].object,
    id: record.id,
    subject: record.subject,
    scopes: [...record.scopes],
    revoked: record.revoked,
    revocation_reason: record.revocationReason,
    expired: isMachineTokenExpired(record),
    expiration: record.expiration,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
  switch (record.type) {
    case 'm2m_token':
      return { ...common, claims: structuredClone(record.claims) };
    case 'api_key':
      return {
        ...common,
        type: 'api_key',
        name: record.name,
        claims: structuredClone(record.claims),
        created_by: null,
        description: null,
        last_used_at: record.lastUsedAt,
      };
    case 'oauth_token':
      return { ...common, type: 'oauth_token', client_id: record.clientId };
  }
}
