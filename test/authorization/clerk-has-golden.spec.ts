import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClerkClient } from '@clerk/backend';
import { createCheckAuthorization, validateReverificationConfig } from '@clerk/shared/authorization';
import { reverificationError, reverificationErrorResponse } from '@clerk/shared/authorization-errors';
import { authFromClaims } from '../../lib/auth/org-claims.js';
import { clerkHas, type ClerkHasParams } from '../../lib/auth/authorization/clerk-has.js';
import { resolveReverification, ClerkReverificationRequiredException } from '../../lib/auth/authorization/reverification.js';
import { narrowAuthToOrganization } from '../../lib/auth/narrowed-auth.js';
import type { ClerkSessionClaims } from '../../lib/index.js';
import { ClerkTestKit, type MintSessionTokenInput } from '../../lib/testing/index.js';

/*
 * The reference is Clerk's own code, asked at run time:
 * - @clerk/backend `src/tokens/authObjects.ts`: `signedInAuthObject()` puts on a session's auth object
 *   `has: createCheckAuthorization({ orgId, orgRole, orgPermissions, userId, factorVerificationAge,
 *   features: sessionClaims.fea || '', plans: sessionClaims.pla || '' })`; `toAuth()` turns a pending
 *   session into a signed-out one unless `treatPendingAsSignedOut: false`.
 * - @clerk/shared `src/authorization.ts`: `createCheckAuthorization` (org, billing and reverification
 *   checks; every dimension asked must pass), `splitByScope` (`fea`/`pla` entries `u:`, `o:`, `uo:`/`ou:`),
 *   `validateReverificationConfig` (the presets).
 * - @clerk/shared `src/authorization-errors.ts`: `reverificationError`, `reverificationErrorResponse` (403).
 */

const USER = 'user_golden00000000000000000001';
const ORG = { id: 'org_golden0000000000000000001', slug: 'golden', role: 'admin', permissions: ['org:posts:read'] };

/** Golden tokens: each claim the checks read, in the shapes Clerk's Frontend API mints (v2 unless said). */
const TOKENS: Array<[name: string, input: Omit<MintSessionTokenInput, 'userId'>]> = [
  ['no claims beyond the session', {}],
  ['user-scoped features and plan', { claims: { fea: 'u:export,u:reports', pla: 'u:pro' } }],
  ['org-scoped features and plan with an active org (o:posts carries the permission mask)', { org: ORG, claims: { fea: 'o:posts,o:analytics', pla: 'o:team' } }],
  ['both scopes, spaces after commas, uo/ou entries', { org: ORG, claims: { fea: 'o:posts, u:export, uo:shared, ou:both', pla: 'u:pro, o:team' } }],
  ['org-scoped features without an active org', { claims: { fea: 'o:analytics', pla: 'o:team' } }],
  ['an fea entry without a scope (Clerk grants nothing)', { claims: { fea: 'export,u:reports', pla: 'pro' } }],
  ['fea and pla that are not text', { claims: { fea: ['u:export'], pla: 7 } }],
  ['v1 org claims', { version: 1, org: { ...ORG, role: 'org:member', permissions: ['org:posts:read', 'org:posts:manage'] } }],
  ['fva: both factors fresh', { claims: { fva: [0, 0] } }],
  ['fva: no second factor, first 9 minutes ago', { claims: { fva: [9, -1] } }],
  ['fva: no second factor, first 10 minutes ago', { claims: { fva: [10, -1] } }],
  ['fva: first 30, second 9 minutes ago', { claims: { fva: [30, 9] } }],
  ['fva: first 9, second 10 minutes ago', { claims: { fva: [9, 10] } }],
  ['fva: second factor only, 9 minutes ago', { claims: { fva: [-1, 9] } }],
  ['fva: 59 and 60 minutes', { claims: { fva: [59, 60] } }],
  ['fva: 1439 minutes', { claims: { fva: [1439, 1439] } }],
  ['fva: 1440 minutes', { claims: { fva: [1440, 1440] } }],
  ['fva: never verified', { claims: { fva: [-1, -1] } }],
  ['fva malformed', { claims: { fva: [-5, 3] } }],
  ['pending session with org and features', { org: ORG, claims: { sts: 'pending', fea: 'o:posts,u:export', fva: [1, 1] } }],
  ['impersonated session', { org: ORG, claims: { act: { sub: 'user_support00000000000000001' }, fea: 'o:posts,u:export' } }],
];

const QUESTIONS: ClerkHasParams[] = [
  {},
  { role: 'admin' },
  { role: 'org:admin' },
  { role: 'org:org:admin' },
  { role: 'member' },
  { permission: 'posts:read' },
  { permission: 'org:posts:read' },
  { permission: 'org:posts:manage' },
  { role: 'admin', permission: 'posts:read' },
  ...['export', 'u:export', 'user:export', 'o:export', 'reports', 'analytics', 'o:analytics', 'org:analytics', 'organization:analytics', 'u:analytics', 'shared', 'o:shared', 'u:shared', 'both', 'x:export', 'o:', 'posts', 'o:posts:read'].map((feature) => ({ feature })),
  ...['pro', 'u:pro', 'o:pro', 'team', 'o:team', 'u:team', 'org:team'].map((plan) => ({ plan })),
  { feature: 'export', plan: 'pro' },
  { role: 'admin', feature: 'analytics' },
  ...(['strict_mfa', 'strict', 'moderate', 'lax'] as const).map((reverification) => ({ reverification })),
  { reverification: { level: 'first_factor', afterMinutes: 10 } },
  { reverification: { level: 'second_factor', afterMinutes: 10 } },
  { reverification: { level: 'multi_factor', afterMinutes: 60 } },
  { reverification: { level: 'multi_factor', afterMinutes: 0 } },
  { reverification: 'bogus' as 'strict' },
  { role: 'admin', reverification: 'strict' },
];

describe('has(): every golden token answers every question exactly as @clerk/backend’s auth object does', () => {
  let kit: ClerkTestKit;
  const clerk = () => createClerkClient({ secretKey: kit.secretKey, publishableKey: kit.publishableKey, telemetry: { disabled: true } });

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });
  afterAll(async () => {
    await kit.close();
  });

  /** @clerk/backend's own auth object for the token (`authenticateRequest(...).toAuth()`, pending kept signed in). */
  async function clerkAuthOf(token: string) {
    const state = await clerk().authenticateRequest(new Request('http://localhost/', { headers: { authorization: `Bearer ${token}` } }), {
      jwtKey: kit.jwtKey,
      authorizedParties: [kit.authorizedParty],
    });
    expect(state.isAuthenticated).toBe(true);
    return state.toAuth({ treatPendingAsSignedOut: false }) as { has: (params: ClerkHasParams) => boolean };
  }

  const ourAuthOf = (token: string) => authFromClaims(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as ClerkSessionClaims);

  it.each(TOKENS)('%s', async (_name, input) => {
    const token = kit.mintSessionToken({ userId: USER, ...input });
    const theirs = await clerkAuthOf(token);
    const ours = ourAuthOf(token);
    const answers = QUESTIONS.map((params) => [JSON.stringify(params), clerkHas(ours, params)]);
    expect(answers).toEqual(QUESTIONS.map((params) => [JSON.stringify(params), theirs.has(params)]));
  });

  it('the questions cover both answers (the comparison is not vacuous)', async () => {
    const token = kit.mintSessionToken({ userId: USER, org: ORG, claims: { fea: 'o:posts, u:export, uo:shared, ou:both', pla: 'u:pro, o:team', fva: [0, 0] } });
    const answers = QUESTIONS.map((params) => clerkHas(ourAuthOf(token), params));
    expect(answers.filter(Boolean).length).toBeGreaterThan(15);
    expect(answers.filter((answer) => !answer).length).toBeGreaterThan(10);
  });
});

describe('reverification presets and fva, on both sides of each boundary, as createCheckAuthorization decides', () => {
  const cases: Array<[config: ClerkHasParams['reverification'], pass: [number, number][], fail: [number, number][]]> = [
    // strict: 10 minutes, the second factor when the user has one.
    ['strict', [[0, 9], [9, -1], [-1, 9], [100, 0]], [[0, 10], [10, -1], [-1, 10], [-1, -1]]],
    // strict_mfa: 10 minutes, both factors when the user has a second one.
    ['strict_mfa', [[9, 9], [9, -1]], [[10, 9], [9, 10], [-1, 0], [10, -1]]],
    ['moderate', [[0, 59], [59, -1]], [[0, 60], [60, -1]]],
    ['lax', [[0, 1439], [1439, -1]], [[0, 1440], [1440, -1]]],
    [{ level: 'first_factor', afterMinutes: 5 }, [[4, -1], [4, 100]], [[5, 0], [-1, 0]]],
  ];

  it.each(cases)('%j', (config, pass, fail) => {
    const answer = (fva: [number, number]) => clerkHas(authFromClaims({ sub: USER, sid: 'sess_1', exp: 1, v: 2, fva }), { reverification: config });
    const clerkAnswer = (fva: [number, number]) =>
      createCheckAuthorization({ userId: USER, orgId: null, orgRole: null, orgPermissions: null, factorVerificationAge: fva, features: '', plans: '' })({ reverification: config! });
    for (const fva of pass) expect([fva, answer(fva), clerkAnswer(fva)]).toEqual([fva, true, true]);
    for (const fva of fail) expect([fva, answer(fva), clerkAnswer(fva)]).toEqual([fva, false, false]);
  });

  it('presets resolve to Clerk’s levels and minutes (validateReverificationConfig)', () => {
    for (const preset of ['strict_mfa', 'strict', 'moderate', 'lax'] as const) {
      expect(resolveReverification(preset)).toEqual((validateReverificationConfig(preset) as () => unknown)());
    }
    expect(resolveReverification('strict')).toEqual({ level: 'second_factor', afterMinutes: 10 });
    expect(resolveReverification('strict_mfa')).toEqual({ level: 'multi_factor', afterMinutes: 10 });
    expect(resolveReverification('moderate')).toEqual({ level: 'second_factor', afterMinutes: 60 });
    expect(resolveReverification('lax')).toEqual({ level: 'second_factor', afterMinutes: 1440 });
    expect(resolveReverification({ level: 'third_factor', afterMinutes: 5 })).toBeNull();
    expect(resolveReverification({ level: 'first_factor', afterMinutes: 0 })).toBeNull();
  });
});

describe('the reverification refusal is Clerk’s reverificationError, byte for byte', () => {
  it.each<ClerkHasParams['reverification']>(['strict', 'strict_mfa', 'moderate', 'lax', { level: 'multi_factor', afterMinutes: 15 }])('%j', async (config) => {
    const exception = new ClerkReverificationRequiredException(config!);
    const clerkResponse = reverificationErrorResponse(config);
    expect(exception.getStatus()).toBe(clerkResponse.status);
    expect(JSON.stringify(exception.getResponse())).toBe(await clerkResponse.text());
    expect(exception.getResponse()).toEqual(reverificationError(config));
  });
});

describe('an auth narrowed to another organization (X-Organization-Id) keeps only the user’s entitlements', () => {
  const claims = { sub: USER, sid: 'sess_1', exp: 1, v: 2, o: { id: ORG.id, slg: 'golden', rol: 'admin' }, fea: 'o:analytics,u:export', pla: 'o:team,u:pro' };

  it('the token’s org features and plans stay with the token’s org', () => {
    const verified = authFromClaims(claims);
    expect([clerkHas(verified, { feature: 'analytics' }), clerkHas(verified, { plan: 'o:team' })]).toEqual([true, true]);
    const elsewhere = narrowAuthToOrganization(verified, { id: 'org_other000000000000000000001', slug: 'other', role: 'org:admin', permissions: [] });
    expect([clerkHas(elsewhere, { feature: 'analytics' }), clerkHas(elsewhere, { plan: 'team' })]).toEqual([false, false]);
    expect([clerkHas(elsewhere, { feature: 'export' }), clerkHas(elsewhere, { plan: 'u:pro' }), clerkHas(elsewhere, { role: 'admin' })]).toEqual([true, true, true]);
    const noOrg = narrowAuthToOrganization(verified, null);
    expect([clerkHas(noOrg, { feature: 'o:analytics' }), clerkHas(noOrg, { feature: 'u:export' })]).toEqual([false, true]);
  });
});

describe('has() outside a Clerk session', () => {
  it('is false for no caller, a machine caller and a password login, as Clerk’s machine and signed-out objects', () => {
    expect(clerkHas(null, { feature: 'x' })).toBe(false);
    expect(clerkHas(undefined, { role: 'admin' })).toBe(false);
    const machine = { tokenType: 'm2m_token', method: 'clerk', id: 'mt_1', subject: 'mch_1', name: null, scopes: ['x'], claims: null, machineId: 'mch_1', userId: null, orgId: null, clientId: null, expiresAt: null } as const;
    expect(clerkHas({ ...machine, scopes: [...machine.scopes] }, { feature: 'x' })).toBe(false);
    const local = { method: 'local', tokenType: null, userId: null, localUserId: 'u1', sessionId: null, sessionStatus: null, actor: null, orgId: null, orgRole: null, orgSlug: null, orgPermissions: [], factorVerificationAge: null, claims: null, authenticatedAt: 0, expiresAt: 0 } as const;
    expect(clerkHas({ ...local, orgPermissions: [] }, { reverification: 'lax' })).toBe(false);
  });
});
