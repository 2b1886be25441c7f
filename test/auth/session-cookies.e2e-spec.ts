import { beforeAll, describe, expect, it } from '@jest/globals';
import { getCookieSuffix } from '@clerk/shared/keys';
import { useClerkTestApp, type ClerkAppHarness } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestPlatform } from '../support/create-app.js';

/** One Clerk app of the shared domain: its kit and Nest application, its users and Clerk's name for its session cookie. */
interface SharedDomainApp {
  harness: ClerkAppHarness;
  userId: string;
  otherUserId: string;
  /** `__session_<suffix>`, the suffix computed by @clerk/shared's own `getCookieSuffix`. */
  suffixedCookie: string;
}

/** Registers, in the calling describe block, one Clerk instance (its own kit and frontend API host) with its app and two users. */
function useSharedDomainApp(platform: TestPlatform, frontendApi: string, name: string): SharedDomainApp {
  const harness = useClerkTestApp({ platform, kit: { frontendApi } });
  const app: SharedDomainApp = { harness, userId: '', otherUserId: '', suffixedCookie: '' };
  beforeAll(async () => {
    app.userId = harness.api.addUser({ email: `${name}@example.com` }).id;
    app.otherUserId = harness.api.addUser({ email: `${name}-other@example.com` }).id;
    app.suffixedCookie = `__session_${await getCookieSuffix(harness.kit.publishableKey)}`;
  });
  return app;
}

describe.each(PLATFORMS)('session cookies as Clerk sets them: __session_<suffix> first, __session as the fallback (%s)', (platform) => {
  // Two Clerk instances (two publishable keys) on one domain: the browser sends both apps' cookies to both.
  const one = useSharedDomainApp(platform, 'app-one-11.clerk.accounts.dev', 'one');
  const two = useSharedDomainApp(platform, 'app-two-22.clerk.accounts.dev', 'two');

  const me = (app: SharedDomainApp, cookie: string) => app.harness.http().get('/me').set('Cookie', cookie);
  const tokenOf = (app: SharedDomainApp, userId = app.userId) => app.harness.kit.mintSessionToken({ userId });

  it('the two apps have different suffixed cookie names', () => {
    expect(one.suffixedCookie).toMatch(/^__session_[A-Za-z0-9_-]{8}$/);
    expect(two.suffixedCookie).not.toBe(one.suffixedCookie);
  });

  it.each([
    ['app one', () => one],
    ['app two', () => two],
  ])('with both apps’ cookies and the plain __session of %s, each app authenticates its own user', async (_name, plainOwner) => {
    const cookie = [`${one.suffixedCookie}=${tokenOf(one)}`, `__session=${tokenOf(plainOwner())}`, `${two.suffixedCookie}=${tokenOf(two)}`, 'theme=dark'].join('; ');
    expect((await me(one, cookie).expect(200)).body.clerkId).toBe(one.userId);
    expect((await me(two, cookie).expect(200)).body.clerkId).toBe(two.userId);
  });

  it('cookie order in the header does not matter: the suffixed cookie still wins', async () => {
    const cookie = [`__session=${tokenOf(one)}`, `${two.suffixedCookie}=${tokenOf(two)}`].join('; ');
    expect((await me(two, cookie).expect(200)).body.clerkId).toBe(two.userId);
  });

  it('only the plain __session: the app it belongs to authenticates from it, the other app never does', async () => {
    const cookie = `__session=${tokenOf(one)}`;
    expect((await me(one, cookie).expect(200)).body.clerkId).toBe(one.userId);
    await me(two, cookie).expect(401);
  });

  it('only the other app’s suffixed cookie is no session for this app', async () => {
    await me(one, `${two.suffixedCookie}=${tokenOf(two)}`).expect(401);
  });

  it('an empty suffixed cookie falls back to the plain __session', async () => {
    const cookie = `${one.suffixedCookie}=; __session=${tokenOf(one)}`;
    expect((await me(one, cookie).expect(200)).body.clerkId).toBe(one.userId);
  });

  it('Authorization: Bearer still wins over both cookies', async () => {
    const cookie = `${one.suffixedCookie}=${tokenOf(one)}; __session=${tokenOf(one)}`;
    const response = await me(one, cookie).set('Authorization', `Bearer ${tokenOf(one, one.otherUserId)}`).expect(200);
    expect(response.body.clerkId).toBe(one.otherUserId);
  });

  it('a public route sees the user of the suffixed cookie too', async () => {
    const cookie = `__session=${tokenOf(one)}; ${two.suffixedCookie}=${tokenOf(two)}`;
    const response = await two.harness.http().get('/public').set('Cookie', cookie).expect(200);
    expect(response.body.user.clerkId).toBe(two.userId);
  });
});
