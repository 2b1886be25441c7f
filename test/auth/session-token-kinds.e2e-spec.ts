import { beforeAll, describe, expect, it } from '@jest/globals';
import { createClerkClient } from '@clerk/backend';
import type { LoggerService } from '@nestjs/common';
import type { ClerkTestKit } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

const USER = 'user_kinds00000000000000000001';
const ORG = { id: 'org_kinds0000000000000000001', slug: 'kinds', role: 'admin', permissions: ['org:posts:read', 'org:posts:manage'] };

/** Keeps every log line, and apart the guard's reasons for refusing a token (the reason names the rule, never the token). */
class RefusalLog implements LoggerService {
  readonly lines: string[] = [];
  readonly reasons: string[] = [];
  log(message: unknown): void {
    this.lines.push(String(message));
  }
  error(message: unknown): void {
    this.lines.push(String(message));
  }
  warn(message: unknown): void {
    this.lines.push(String(message));
  }
  debug(message: unknown): void {
    this.lines.push(String(message));
    const refused = /refused: (.*)$/.exec(String(message));
    if (refused) this.reasons.push(refused[1]);
  }
}

/**
 * What @clerk/backend itself makes of a Bearer token on a session-token route (`authenticateRequest`
 * with the default `acceptsToken: 'session_token'`, then `toAuth()`): the user id it lets through, or null.
 */
async function clerkSdkVerdict(kit: ClerkTestKit, token: string): Promise<string | null> {
  const clerk = createClerkClient({ secretKey: kit.secretKey, publishableKey: kit.publishableKey, telemetry: { disabled: true } });
  const state = await clerk.authenticateRequest(new Request('http://localhost:3000/me', { headers: { authorization: `Bearer ${token}` } }), {
    jwtKey: kit.jwtKey,
    authorizedParties: [kit.authorizedParty],
  });
  const auth = state.isAuthenticated ? state.toAuth() : null;
  return auth && 'userId' in auth ? (auth.userId ?? null) : null;
}

type TokenCase = [name: string, mint: (kit: ClerkTestKit) => string];

/*
 * Every shape Clerk issues as a session token. Categories: @clerk/backend `src/tokens/jwtCategories.ts`
 * (`isNonSessionJwtCategory`: no `cat`, `cl_B7d4PD111AAA` session, `cl_I7d4PD111III` ignore). Claim
 * versions: @clerk/shared `src/jwtPayloadParser.ts` (`__experimental_JWTPayloadToAuthObjectProperties`:
 * `v: 2` compact `o`/`fea`, otherwise v1 flat `org_*`). `sts`, `act`, `fva`: clerk-docs
 * `docs/guides/sessions/session-tokens.mdx` (default claims).
 */
const ACCEPTED_SESSION_TOKENS: TokenCase[] = [
  ['v2 claims, no active organization', (kit) => kit.mintSessionToken({ userId: USER })],
  ['v2 claims with an active organization (o, fea, o.per, o.fpm)', (kit) => kit.mintSessionToken({ userId: USER, org: ORG })],
  ['v1 claims, no active organization', (kit) => kit.mintSessionToken({ userId: USER, version: 1 })],
  ['v1 claims with an active organization (org_id, org_role, org_permissions)', (kit) => kit.mintSessionToken({ userId: USER, version: 1, org: ORG })],
  ['session category (cat: cl_B7d4PD111AAA)', (kit) => kit.mintSessionToken({ userId: USER, header: { cat: 'cl_B7d4PD111AAA' } })],
  ['"ignore" category (cat: cl_I7d4PD111III)', (kit) => kit.mintSessionToken({ userId: USER, header: { cat: 'cl_I7d4PD111III' } })],
  ['no cat header (minted before categories)', (kit) => kit.mintSessionToken({ userId: USER, header: { cat: undefined } })],
  ['no typ header', (kit) => kit.mintSessionToken({ userId: USER, header: { typ: undefined, cat: 'cl_B7d4PD111AAA' } })],
  ['sts: active', (kit) => kit.mintSessionToken({ userId: USER, claims: { sts: 'active' } })],
  ['no sts claim', (kit) => kit.mintSessionToken({ userId: USER, claims: { sts: undefined } })],
  ['impersonation (act claim)', (kit) => kit.mintSessionToken({ userId: USER, claims: { act: { sub: 'user_impersonator000000000001', sid: 'sess_imp' } } })],
  ['factor verification age (fva claim)', (kit) => kit.mintSessionToken({ userId: USER, claims: { fva: [7, -1] } })],
];

/** Tokens that are not a signed-in session on a session-only route, and the classifier reason each gets. */
const REFUSED_TOKENS: Array<[...TokenCase, reason: string]> = [
  // A valid session token to Clerk, but `toAuth()` treats a pending session as signed out by default
  // (@clerk/backend `src/tokens/authObjects.ts`, `treatPendingAsSignedOut = true`).
  ['pending session (sts: pending)', (kit) => kit.mintSessionToken({ userId: USER, claims: { sts: 'pending' } }), 'session-pending'],
  ['JWT template (cat: cl_B7d4PD222AAA)', (kit) => kit.mintSessionToken({ userId: USER, header: { cat: 'cl_B7d4PD222AAA' } }), 'not-a-session-token'],
  ['M2M category with a user subject (cat: cl_B7d4PD333AAA)', (kit) => kit.mintSessionToken({ userId: USER, header: { cat: 'cl_B7d4PD333AAA' } }), 'not-a-session-token'],
  ['unknown category', (kit) => kit.mintSessionToken({ userId: USER, header: { cat: 'cl_somethingelse' } }), 'not-a-session-token'],
  ['M2M JWT (sub: mch_…)', (kit) => kit.mintMachineJwt({ type: 'm2m_token' }), 'machine-token'],
  ['M2M JWT without category', (kit) => kit.mintSessionToken({ userId: 'mch_kinds000000000000000000001' }), 'machine-token'],
  ['OAuth JWT access token (typ: at+jwt)', (kit) => kit.mintMachineJwt({ type: 'oauth_token', subject: USER }), 'machine-token'],
  ['OAuth JWT access token (typ: application/at+jwt)', (kit) => kit.mintSessionToken({ userId: USER, header: { typ: 'application/at+jwt' } }), 'machine-token'],
  ['opaque M2M token (mt_…)', () => 'mt_0123456789abcdef0123456789abcdef', 'machine-token'],
  ['opaque OAuth token (oat_…)', () => 'oat_0123456789abcdef0123456789abcdef', 'machine-token'],
  ['API key (ak_…)', () => 'ak_0123456789abcdef0123456789abcdef', 'machine-token'],
  ['not a JWT', () => 'definitely-not-a-token', 'token-invalid'],
  ['JWT whose payload is JSON null', () => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('null').toString('base64url')}.c2ln`, 'token-invalid'],
];

describe.each(PLATFORMS)('session-only routes accept every session token Clerk issues and refuse every other kind, by @clerk/backend’s rules (%s)', (platform) => {
  const refusals = new RefusalLog();
  const refusedTokens: string[] = [];
  const harness = useClerkTestApp({ platform, logger: refusals });

  beforeAll(() => {
    harness.api.addUser({ id: USER, email: 'kinds@example.com' });
  });

  const me = (token: string) => harness.http().get('/me').set('Authorization', `Bearer ${token}`);

  it.each(ACCEPTED_SESSION_TOKENS)('accepted: %s (and @clerk/backend signs it in too)', async (_name, mint) => {
    const token = mint(harness.kit);
    expect(await clerkSdkVerdict(harness.kit, token)).toBe(USER);
    expect((await me(token).expect(200)).body.clerkId).toBe(USER);
  });

  it.each(REFUSED_TOKENS)('refused: %s (and @clerk/backend does not sign it in)', async (_name, mint, reason) => {
    const token = mint(harness.kit);
    refusedTokens.push(token);
    expect(await clerkSdkVerdict(harness.kit, token)).toBeNull();
    refusals.reasons.length = 0;
    expect((await me(token).expect(401)).body).toEqual({ message: 'Unauthorized', statusCode: 401 });
    expect(refusals.reasons).toEqual([reason]);
  });

  it('no log line carries any part of a refused token', () => {
    expect(refusedTokens).toHaveLength(REFUSED_TOKENS.length);
    const parts = refusedTokens.flatMap((token) => token.split('.')).filter((part) => part.length >= 8);
    expect(refusals.lines.filter((line) => parts.some((part) => line.includes(part)))).toEqual([]);
  });
});
