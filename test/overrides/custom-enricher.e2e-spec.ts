import { beforeAll, describe, expect, it } from '@jest/globals';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { OverridesController, PlanEnricher } from './overrides.controllers.js';

// An app provider marked @ClerkEnricher() adds request fields; the pipeline writes them with user and auth.
describe.each(PLATFORMS)('a custom request enricher (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, controllers: [OverridesController], providers: [PlanEnricher] });
  const pro = 'user_pro0000000000000000000001';
  const free = 'user_free000000000000000000001';

  beforeAll(() => {
    harness.api.addUser({ id: pro, email: 'pro@example.com', publicMetadata: { plan: 'pro' } });
    harness.api.addUser({ id: free, email: 'free@example.com' });
  });

  const get = (path: string, token?: string) => {
    const call = harness.http().get(path);
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };

  it('adds its fields to every authenticated request, from the resolved user and the verified session', async () => {
    expect((await get('/overrides/plan', harness.kit.mintSessionToken({ userId: pro, sessionId: 'sess_pro' })).expect(200)).body).toEqual({ plan: 'pro', planSession: 'sess_pro' });
    expect((await get('/overrides/plan', harness.kit.mintSessionToken({ userId: free, sessionId: 'sess_free' })).expect(200)).body).toEqual({ plan: 'free', planSession: 'sess_free' });
  });

  it('runs on public routes only when a user signed in, and never for a refused token', async () => {
    expect((await get('/overrides/public-plan').expect(200)).body).toEqual({ plan: null });
    expect((await get('/overrides/public-plan', harness.kit.mintSessionToken({ userId: pro, expiresInSeconds: -60 })).expect(200)).body).toEqual({ plan: null });
    expect((await get('/overrides/public-plan', harness.kit.mintSessionToken({ userId: pro })).expect(200)).body).toEqual({ plan: 'pro' });
  });
});
