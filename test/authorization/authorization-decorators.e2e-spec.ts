import { beforeAll, describe, expect, it } from '@jest/globals';
import { reverificationErrorResponse } from '@clerk/shared/authorization-errors';
import type { ClerkReverificationConfig } from '../../lib/index.js';
import type { MintSessionTokenInput } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ExplicitlyGuardedController, ProbeController } from '../support/test.controllers.js';
import {
  AccountController,
  BillingController,
  BillingSettingsController,
  HasController,
  OnboardingController,
  SensitiveController,
  TeamAreaController,
} from './authorization.controllers.js';

const USER = 'user_authz0000000000000000000001';
const ORG = { id: 'org_authz00000000000000000001', slug: 'authz', role: 'member', permissions: ['org:posts:read'] };
const IMPERSONATOR = { sub: 'user_support00000000000000001' };
const CONTROLLERS = [ProbeController, BillingController, TeamAreaController, SensitiveController, OnboardingController, AccountController, BillingSettingsController, HasController];

/** Clerk's answer to a missing reverification (`reverificationErrorResponse`), as text. */
const clerkReverificationBody = (config: ClerkReverificationConfig) => reverificationErrorResponse(config).text();

describe.each(PLATFORMS)('Clerk authorization decorators over HTTP (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, controllers: CONTROLLERS });

  beforeAll(() => {
    harness.api.addUser({ id: USER, email: 'authz@example.com' });
  });

  const token = (input: Omit<MintSessionTokenInput, 'userId'> = {}) => harness.kit.mintSessionToken({ userId: USER, ...input });
  const get = (path: string, bearer?: string) => {
    const call = harness.http().get(path);
    return bearer ? call.set('Authorization', `Bearer ${bearer}`) : call;
  };
  /** Status of `path` for each token, in order. */
  const statuses = async (path: string, tokens: Array<string | undefined>) => {
    const answers: number[] = [];
    for (const bearer of tokens) answers.push((await get(path, bearer)).status);
    return answers;
  };

  describe('@RequireFeature / @RequirePlan: the fea and pla claims (v2), user and org scope', () => {
    const userEntitled = () => token({ claims: { fea: 'u:export', pla: 'u:pro' } });
    const orgEntitled = () => token({ org: ORG, claims: { fea: 'o:posts,o:analytics,o:export', pla: 'o:team,o:pro' } });
    const nothing = () => token({ org: ORG });

    it.each([
      // path, no token, user scope, org scope, neither
      ['/billing/export', 401, 200, 200, 403],
      ['/billing/user-export', 401, 200, 403, 403],
      ['/billing/org-analytics', 401, 403, 200, 403],
      ['/billing/analytics-or-export', 401, 200, 200, 403],
      ['/billing/pro', 401, 200, 200, 403],
      ['/billing/user-pro', 401, 200, 403, 403],
      ['/billing/org-team', 401, 403, 200, 403],
    ])('%s: no token %s, user-scoped %s, org-scoped %s, none %s', async (path, ...expected) => {
      expect(await statuses(path, [undefined, userEntitled(), orgEntitled(), nothing()])).toEqual(expected);
    });

    it('a refusal says which kind of entitlement is missing, nothing more', async () => {
      expect((await get('/billing/org-analytics', userEntitled()).expect(403)).body).toEqual({ statusCode: 403, message: 'Feature required', error: 'Forbidden' });
      expect((await get('/billing/org-team', userEntitled()).expect(403)).body).toEqual({ statusCode: 403, message: 'Plan required', error: 'Forbidden' });
    });

    it('scopes are read as Clerk reads them: o: entries count without an active org too, u: names only user entries', async () => {
      await get('/billing/org-analytics', token({ claims: { fea: 'o:analytics', pla: 'o:team' } })).expect(200);
      await get('/billing/user-export', token({ claims: { fea: 'o:export' } })).expect(403);
    });

    it('a malformed fea (an entry without scope) grants nothing, as Clerk', async () => {
      expect(await statuses('/billing/export', [token({ claims: { fea: 'export,u:export' } })])).toEqual([403]);
    });

    it('every decorator must pass: a plan and a permission', async () => {
      await get('/billing/team-posts', orgEntitled()).expect(200);
      await get('/billing/team-posts', token({ org: { ...ORG, permissions: [] }, claims: { fea: 'o:analytics', pla: 'o:team' } })).expect(403);
      await get('/billing/team-posts', token({ org: ORG })).expect(403);
    });

    it('handler metadata overrides class metadata', async () => {
      const team = token({ org: ORG, claims: { fea: 'o:posts', pla: 'o:team' } });
      const pro = token({ claims: { pla: 'u:pro' } });
      expect(await statuses('/team-area', [undefined, team, pro])).toEqual([401, 200, 403]);
      expect(await statuses('/team-area/pro-only', [undefined, team, pro])).toEqual([401, 403, 200]);
    });
  });

  describe('@RequireReverification: the fva claim against Clerk’s presets', () => {
    it.each<[path: string, config: ClerkReverificationConfig, fresh: Array<[number, number]>, stale: Array<[number, number]>]>([
      ['/sensitive/strict', 'strict', [[0, 9], [9, -1]], [[0, 10], [10, -1], [-1, -1]]],
      ['/sensitive/strict-mfa', 'strict_mfa', [[9, 9], [9, -1]], [[10, 9], [9, 10]]],
      ['/sensitive/moderate', 'moderate', [[0, 59], [59, -1]], [[0, 60], [60, -1]]],
      ['/sensitive/lax', 'lax', [[0, 1439]], [[0, 1440]]],
      ['/sensitive/first-factor-5', { level: 'first_factor', afterMinutes: 5 }, [[4, 60]], [[5, 0]]],
    ])('%s (%j): fresh → 200, stale → Clerk’s reverificationError byte for byte, no token → 401', async (path, config, fresh, stale) => {
      for (const fva of fresh) await get(path, token({ claims: { fva } })).expect(200);
      const expected = await clerkReverificationBody(config);
      for (const fva of stale) {
        const response = await get(path, token({ claims: { fva } }));
        expect([fva, response.status, response.text]).toEqual([fva, 403, expected]);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
      }
      await get(path).expect(401);
    });

    it('a token without fva must reverify', async () => {
      const response = await get('/sensitive/lax', token({ claims: { fva: undefined } })).expect(403);
      expect(response.text).toBe(await clerkReverificationBody('lax'));
    });

    it('is checked last: a user refused for a missing feature is not asked to verify again', async () => {
      expect((await get('/sensitive/export', token({ claims: { fva: [60, 60] } })).expect(403)).body).toEqual({ statusCode: 403, message: 'Feature required', error: 'Forbidden' });
      expect((await get('/sensitive/export', token({ claims: { fva: [60, 60], fea: 'u:export' } })).expect(403)).body.clerk_error.reason).toBe('reverification-error');
      await get('/sensitive/export', token({ claims: { fva: [0, 0], fea: 'u:export' } })).expect(200);
    });
  });

  describe('pending sessions (sts: pending)', () => {
    const pending = (input: Omit<MintSessionTokenInput, 'userId'> = {}) => token({ ...input, claims: { sts: 'pending', ...input.claims } });

    it('are signed out everywhere by default: 401 on a guarded route, anonymous on a public one', async () => {
      await get('/me', pending()).expect(401);
      await get('/billing/export', pending({ claims: { fea: 'u:export' } })).expect(401);
      expect((await get('/public', pending()).expect(200)).body).toEqual({ user: null });
    });

    it('@AllowPendingSession() lets them in with @CurrentUser() set and sessionStatus "pending"', async () => {
      expect((await get('/onboarding', pending()).expect(200)).body).toEqual({ clerkId: USER, sessionStatus: 'pending' });
      expect((await get('/onboarding', token()).expect(200)).body).toEqual({ clerkId: USER, sessionStatus: 'active' });
      expect((await get('/onboarding/public', pending()).expect(200)).body).toEqual({ clerkId: USER });
      await get('/onboarding').expect(401);
    });

    it('an org requirement still refuses a pending session without an active org (403)', async () => {
      await get('/onboarding/org', pending()).expect(403);
      expect((await get('/onboarding/org', pending({ org: ORG })).expect(200)).body).toEqual({ orgId: ORG.id });
    });

    it('a refused pending session never reaches the database or the Backend API', async () => {
      const newcomer = harness.api.addUser({ email: `pending-${platform}@example.com` });
      harness.api.clearRequests();
      harness.queries.reset();
      await get('/me', harness.kit.mintSessionToken({ userId: newcomer.id, claims: { sts: 'pending' } })).expect(401);
      expect(harness.queries.count).toBe(0);
      expect(harness.api.requests).toHaveLength(0);
      // The same token on an @AllowPendingSession() route provisions the user.
      await get('/onboarding', harness.kit.mintSessionToken({ userId: newcomer.id, claims: { sts: 'pending' } })).expect(200);
    });
  });

  describe('impersonation (act claim)', () => {
    const impersonated = () => token({ claims: { act: IMPERSONATOR } });

    it('request.auth.actor is the act claim, null for the user’s own session', async () => {
      expect((await get('/account/profile', impersonated()).expect(200)).body).toEqual({ actor: IMPERSONATOR });
      expect((await get('/account/profile', token()).expect(200)).body).toEqual({ actor: null });
    });

    it('@DenyImpersonation(): 403 for an impersonated session, 200 for the user, 401 without a token', async () => {
      expect((await get('/account/password', impersonated()).expect(403)).body).toEqual({ statusCode: 403, message: 'Impersonation not allowed', error: 'Forbidden' });
      await get('/account/password', token()).expect(200);
      await get('/account/password').expect(401);
    });

    it('on a @Public() route it refuses an impersonated session and still lets anonymous callers in', async () => {
      await get('/account/public-no-impersonation', impersonated()).expect(403);
      expect((await get('/account/public-no-impersonation').expect(200)).body).toEqual({ clerkId: null });
    });

    it('class @DenyImpersonation() is overridden by a handler’s @AllowImpersonation()', async () => {
      expect(await statuses('/billing-settings', [undefined, impersonated(), token()])).toEqual([401, 403, 200]);
      expect(await statuses('/billing-settings/read-only', [undefined, impersonated(), token()])).toEqual([401, 200, 200]);
    });
  });

  describe('@Auth().has() and ClerkAuthorization.has() answer as the decorators do', () => {
    const ask = async (bearer: string | undefined, query: Record<string, string>) => (await get(`/has?${new URLSearchParams(query)}`, bearer).expect(200)).body;

    it.each<[string, Omit<MintSessionTokenInput, 'userId'>, Record<string, string>, string, number]>([
      ['user feature', { claims: { fea: 'u:export' } }, { feature: 'export' }, '/billing/export', 200],
      ['org feature asked in user scope', { org: ORG, claims: { fea: 'o:posts,o:analytics' } }, { feature: 'o:analytics' }, '/billing/org-analytics', 200],
      ['user feature on an org-only route', { claims: { fea: 'u:analytics' } }, { feature: 'o:analytics' }, '/billing/org-analytics', 403],
      ['org plan', { org: ORG, claims: { fea: 'o:posts', pla: 'o:team' } }, { plan: 'org:team' }, '/billing/org-team', 200],
      ['no plan', {}, { plan: 'u:pro' }, '/billing/user-pro', 403],
      ['fresh factors', { claims: { fva: [0, 5] } }, { reverification: 'strict' }, '/sensitive/strict', 200],
      ['stale factors', { claims: { fva: [0, 15] } }, { reverification: 'strict' }, '/sensitive/strict', 403],
      ['custom level', { claims: { fva: [4, -1] } }, { reverification: JSON.stringify({ level: 'first_factor', afterMinutes: 5 }) }, '/sensitive/first-factor-5', 200],
    ])('%s', async (_name, input, query, route, status) => {
      const bearer = token(input);
      const answer = await ask(bearer, query);
      expect(answer).toEqual({ tokenType: 'session_token', auth: status === 200, service: status === 200 });
      await get(route, bearer).expect(status);
    });

    it('role and permission of the active org; nothing for no caller; has({}) is false', async () => {
      const member = token({ org: ORG });
      expect(await ask(member, { role: 'member', permission: 'posts:read' })).toEqual({ tokenType: 'session_token', auth: true, service: true });
      expect(await ask(member, { role: 'admin' })).toEqual({ tokenType: 'session_token', auth: false, service: false });
      expect(await ask(member, {})).toEqual({ tokenType: 'session_token', auth: false, service: false });
      expect(await ask(undefined, { role: 'member' })).toEqual({ tokenType: null, auth: null, service: false });
    });

    it('works on a pending session where the route allows it (Clerk with treatPendingAsSignedOut: false)', async () => {
      expect(await ask(token({ claims: { sts: 'pending', fea: 'u:export' } }), { feature: 'export' })).toEqual({ tokenType: 'session_token', auth: true, service: true });
    });
  });
});

describe.each(PLATFORMS)('the impersonation option (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { impersonation: 'deny' }, controllers: CONTROLLERS });

  beforeAll(() => {
    harness.api.addUser({ id: USER, email: 'authz@example.com' });
  });

  const get = (path: string, bearer?: string) => {
    const call = harness.http().get(path);
    return bearer ? call.set('Authorization', `Bearer ${bearer}`) : call;
  };

  it('"deny" refuses impersonated sessions on every guarded route without @AllowImpersonation()', async () => {
    const impersonated = harness.kit.mintSessionToken({ userId: USER, claims: { act: IMPERSONATOR } });
    await get('/me', impersonated).expect(403);
    await get('/account/profile', impersonated).expect(403);
    await get('/account/support', impersonated).expect(200);
    await get('/billing-settings/read-only', impersonated).expect(200);
    await get('/me', harness.kit.mintSessionToken({ userId: USER })).expect(200);
    await get('/me').expect(401);
  });

  it('@Public() routes keep their own rule: an impersonator still reads them', async () => {
    const impersonated = harness.kit.mintSessionToken({ userId: USER, claims: { act: IMPERSONATOR } });
    expect((await get('/public', impersonated).expect(200)).body.user.clerkId).toBe(USER);
  });
});

describe.each(PLATFORMS)('pending sessions without the global guard (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { globalGuard: false }, controllers: [ExplicitlyGuardedController, OnboardingController] });

  beforeAll(() => {
    harness.api.addUser({ id: USER, email: 'authz@example.com' });
  });

  const get = (path: string, bearer: string) => harness.http().get(path).set('Authorization', `Bearer ${bearer}`);

  it('AuthGuard("clerk") and @UseGuards(ClerkAuthGuard) sign a pending session out; a decorator’s guard honours @AllowPendingSession()', async () => {
    const pending = harness.kit.mintSessionToken({ userId: USER, org: ORG, claims: { sts: 'pending' } });
    await get('/guarded/passport', pending).expect(401);
    await get('/guarded', pending).expect(401);
    expect((await get('/onboarding/org', pending).expect(200)).body).toEqual({ orgId: ORG.id });
    await get('/guarded/passport', harness.kit.mintSessionToken({ userId: USER })).expect(200);
  });
});
