import { createSign, randomBytes, type KeyObject } from 'node:crypto';

/** The active organization to put in a minted token. */
export interface MintOrgInput {
  id: string;
  slug?: string;
  /** With or without the `org:` prefix. */
  role?: string;
  /** Full names such as `org:posts:read`. */
  permissions?: string[];
}

/** What `mintSessionToken` accepts. */
export interface MintSessionTokenInput {
  userId: string;
  sessionId?: string;
  /** `azp`; `null` leaves it out. Default: the kit's authorized party. */
  azp?: string | null;
  org?: MintOrgInput;
  /** Claim format: 2 (default, compact `o`/`fea`) or 1 (flat `org_*`). */
  version?: 1 | 2;
  /** Lifetime; negative gives an already expired token. Default 60, as Clerk. */
  expiresInSeconds?: number;
  /** Seconds added to "now" for `iat`/`nbf` (e.g. 3600 for a not-yet-valid token). */
  issuedAtOffsetSeconds?: number;
  /** Extra or overriding claims; a claim set to `undefined` is removed. */
  claims?: Record<string, unknown>;
  /** Extra or overriding JWT header fields. */
  header?: Record<string, unknown>;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `header.payload` with RS256 using `node:crypto`, exactly as Clerk does. */
export function signRs256(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const data = `${b64(header)}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(data).sign(privateKey).toString('base64url');
  return `${data}.${signature}`;
}

/** Encodes permissions `org:<feature>:<perm>` into v2 `fea`, `o.per` and `o.fpm` bitmasks. */
export function encodeV2Permissions(permissions: string[]): { fea?: string; per?: string; fpm?: string } {
  const features: string[] = [];
  const names: string[] = [];
  const grants = new Map<string, Set<string>>();
  for (const permission of permissions) {
    const [, feature, name] = permission.split(':');
    if (!feature || !name) continue;
    if (!features.includes(feature)) features.push(feature);
    if (!names.includes(name)) names.push(name);
    grants.set(feature, (grants.get(feature) ?? new Set()).add(name));
  }
  if (!features.length) return {};
  const masks = features.map((feature) =>
    names.reduce((mask, name, bit) => (grants.get(feature)?.has(name) ? mask | (1n << BigInt(bit)) : mask), 0n).toString(),
  );
  return { fea: features.map((f) => `o:${f}`).join(','), per: names.join(','), fpm: masks.join(',') };
}

function orgClaims(org: MintOrgInput | undefined, version: 1 | 2): Record<string, unknown> {
  if (!org) return {};
  const role = org.role ?? 'org:member';
  if (version === 1) {
    return {
      org_id: org.id,
      org_slug: org.slug ?? org.id,
      org_role: role.startsWith('org:') ? role : `org:${role}`,
      org_permissions: org.permissions ?? [],
    };
  }
  const encoded = encodeV2Permissions(org.permissions ?? []);
  const o: Record<string, unknown> = { id: org.id, slg: org.slug ?? org.id, rol: role.replace(/^org:/, '') };
  if (encoded.per) Object.assign(o, { per: encoded.per, fpm: encoded.fpm });
  return encoded.fea ? { o, fea: encoded.fea } : { o };
}

/** Builds the claims of a Clerk session token (v1 or v2). */
export function sessionClaims(input: MintSessionTokenInput, defaults: { issuer: string; azp: string }): Record<string, unknown> {
  const version = input.version ?? 2;
  const now = Math.floor(Date.now() / 1000) + (input.issuedAtOffsetSeconds ?? 0);
  const claims: Record<string, unknown> = {
    azp: input.azp === null ? undefined : input.azp ?? defaults.azp,
    exp: now + (input.expiresInSeconds ?? 60),
    iat: now,
    nbf: now - 10,
    iss: defaults.issuer,
    sid: input.sessionId ?? `sess_${input.userId.replace(/^user_/, '')}`,
    sub: input.userId,
    sts: 'active',
    ...(version === 2 ? { v: 2, jti: Math.random().toString(36).slice(2) } : {}),
    ...orgClaims(input.org, version),
    ...input.claims,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

/** What `ClerkTestKit.mintMachineJwt` accepts: a JWT-format M2M token or OAuth access token. */
export interface MintMachineJwtInput {
  type: 'm2m_token' | 'oauth_token';
  /** `sub`. Default: a fresh `mch_…` (M2M) or `user_…` (OAuth). */
  subject?: string;
  scopes?: string[];
  /** Lifetime; negative gives an already expired token. Default 3600. */
  expiresInSeconds?: number;
  /** `client_id` of an OAuth token. */
  clientId?: string;
  /** Extra or overriding claims; a claim set to `undefined` is removed. */
  claims?: Record<string, unknown>;
}

const randomId = (prefix: string): string => `${prefix}_${randomBytes(16).toString('hex')}`;

/** Header and claims of a machine JWT as Clerk mints them: M2M with `cat` and `sub: mch_…`, OAuth with `typ: at+jwt`. */
export function machineJwtParts(input: MintMachineJwtInput, issuer: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const now = Math.floor(Date.now() / 1000);
  const m2m = input.type === 'm2m_token';
  const scopes = input.scopes ?? [];
  const claims: Record<string, unknown> = {
    iss: issuer,
    sub: input.subject ?? randomId(m2m ? 'mch' : 'user'),
    iat: now,
    nbf: now - 10,
    exp: now + (input.expiresInSeconds ?? 3600),
    jti: randomId(m2m ? 'mt' : 'oat'),
    ...(m2m ? { scopes: scopes.join(' ') } : { scope: scopes.join(' '), client_id: input.clientId ?? randomId('client') }),
    ...input.claims,
  };
  return {
    header: m2m ? { alg: 'RS256', typ: 'JWT', cat: 'cl_B7d4PD333AAA' } : { alg: 'RS256', typ: 'at+jwt' },
    claims: Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)),
  };
}
