import { describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import session from 'express-session';
import { CLERK_SERVER_SESSION_KEY } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestPlatform } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { memoryStore, sessionCookieOf, sessionTokenCookie, SessionProbeController } from '../sessions/session-support.js';

// Security review #4: with `sessions: true`, 3,000 requests with the same `__session` cookie token and
// no session cookie stored 3,000 server sessions (8 h each in the sample). Now a Clerk session id has
// one server session at most, and a new one lives briefly until a token of it is verified again.

const SECRET = 'a-test-session-secret-that-is-long-enough-0123456789';
const WINDOW_SECONDS = 300;
const COOKIE_MAX_AGE_MS = 8 * 3600_000;
const HOUR_MS = 3600_000;

/** The app's session middleware with an 8-hour cookie, as the sample configures it. */
function eightHourSessions(platform: TestPlatform, store: unknown) {
  return async (app: INestApplication): Promise<void> => {
    const cookie = { sameSite: 'lax' as const, httpOnly: true, secure: false, maxAge: COOKIE_MAX_AGE_MS };
    if (platform === 'express') {
      app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, store: store as session.Store, cookie }));
      return;
    }
    const fastify = app as NestFastifyApplication;
    await fastify.register(fastifyCookie as never);
    await fastify.register(fastifySession as never, { secret: SECRET, saveUninitialized: false, store, cookie } as never);
  };
}

interface StoredSession {
  id: string;
  expires: number | null;
  clerkSessionId: string | null;
}

/** What the memory store holds, read from the store itself (express-session: JSON by id; @fastify/session: a Map of sessions). */
function storedSessions(platform: TestPlatform, store: unknown): StoredSession[] {
  const entries: Array<[string, Record<string, unknown>]> =
    platform === 'express'
      ? Object.entries((store as { sessions: Record<string, string> }).sessions).map(([id, json]) => [id, JSON.parse(json) as Record<string, unknown>])
      : [...(store as { store: Map<string, Record<string, unknown>> }).store.entries()];
  return entries.map(([id, data]) => {
    const expires = (data.cookie as { expires?: string | Date | null } | undefined)?.expires;
    const state = data[CLERK_SERVER_SESSION_KEY] as { sessionId?: string } | undefined;
    return { id, expires: expires ? new Date(expires).getTime() : null, clerkSessionId: state?.sessionId ?? null };
  });
}

describe.each(PLATFORMS)('server sessions started by one cookie token (%s)', (platform) => {
  const store = memoryStore(platform);
  const harness = useClerkTestApp({
    platform,
    clerk: { sessions: true, sessionRevalidationSeconds: WINDOW_SECONDS },
    configure: eightHourSessions(platform, store),
    controllers: [ProbeController, SessionProbeController],
  });
  const ofClerkSession = (sid: string) => storedSessions(platform, store).filter((stored) => stored.clerkSessionId === sid);

  it('the attack: 200 requests with the same __session cookie and no session cookie store one server session, not 200', async () => {
    const ada = harness.api.addUser({ email: `ada-growth-${platform}@example.com` }).id;
    const cookie = sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: `sess_growth_${platform}` }));
    const before = storedSessions(platform, store).length;
    for (let i = 0; i < 200; i++) {
      const response = await harness.http().get('/me').set('Cookie', cookie).expect(200);
      expect(sessionCookieOf(response, platform)).not.toBeNull(); // each one is offered a session, as a browser would be
    }
    expect(ofClerkSession(`sess_growth_${platform}`)).toHaveLength(1);
    expect(storedSessions(platform, store).length - before).toBe(1);
  });

  it('the one kept is the newest: a browser holding it keeps working without a token', async () => {
    const ada = harness.api.addUser({ email: `ada-newest-${platform}@example.com` }).id;
    const cookie = sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: `sess_newest_${platform}` }));
    await harness.http().get('/me').set('Cookie', cookie).expect(200);
    const browser = harness.agent();
    await browser.get('/me').set('Cookie', cookie).expect(200);
    expect((await browser.get('/session-probe/whoami').expect(200)).body).toMatchObject({ userId: ada, sessionId: `sess_newest_${platform}` });
    expect(ofClerkSession(`sess_newest_${platform}`)).toHaveLength(1);
  });

  it('a new server session lives twice the revalidation window, not the cookie’s 8 hours, until a token of it is verified again', async () => {
    const ada = harness.api.addUser({ email: `ada-first-lifetime-${platform}@example.com` }).id;
    const sid = `sess_first_lifetime_${platform}`;
    const browser = harness.agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: sid }))).expect(200);
    const [started] = ofClerkSession(sid);
    expect(started.expires).not.toBeNull();
    expect(started.expires! - Date.now()).toBeLessThanOrEqual(2 * WINDOW_SECONDS * 1000);
    expect(started.expires! - Date.now()).toBeGreaterThan(WINDOW_SECONDS * 1000);

    // Requests on the session alone (the same token replayed, or none) do not lengthen it.
    await browser.get('/me').expect(200);
    expect(ofClerkSession(sid)[0].expires! - Date.now()).toBeLessThanOrEqual(2 * WINDOW_SECONDS * 1000);

    // A new token of the same Clerk session (as Clerk's frontend refreshes it) is verified: the session is confirmed.
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: sid, expiresInSeconds: 120 }))).expect(200);
    const [confirmed] = ofClerkSession(sid);
    expect(confirmed.id).toBe(started.id);
    expect(confirmed.expires! - Date.now()).toBeGreaterThan(7 * HOUR_MS);
    expect(confirmed.expires! - Date.now()).toBeLessThanOrEqual(COOKIE_MAX_AGE_MS);
    await browser.get('/me').expect(200);
    expect(ofClerkSession(sid)[0].expires! - Date.now()).toBeGreaterThan(7 * HOUR_MS);
  });

  it('at revalidation the same token, still valid, confirms the session as well', async () => {
    const ada = harness.api.addUser({ email: `ada-due-${platform}@example.com` }).id;
    const sid = `sess_due_${platform}`;
    const cookie = sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: sid, expiresInSeconds: 3600 }));
    const browser = harness.agent();
    await browser.get('/me').set('Cookie', cookie).expect(200);
    await browser.get(`/session-probe/age?seconds=${WINDOW_SECONDS + 1}`).expect(200);
    await browser.get('/me').set('Cookie', cookie).expect(200);
    expect(ofClerkSession(sid)[0].expires! - Date.now()).toBeGreaterThan(7 * HOUR_MS);
  });

  it('different Clerk sessions of one user keep a server session each', async () => {
    const ada = harness.api.addUser({ email: `ada-devices-${platform}@example.com` }).id;
    const laptop = harness.agent();
    const phone = harness.agent();
    await laptop.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: `sess_laptop_${platform}` }))).expect(200);
    await phone.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: `sess_phone_${platform}` }))).expect(200);
    expect((await laptop.get('/session-probe/whoami').expect(200)).body.sessionId).toBe(`sess_laptop_${platform}`);
    expect((await phone.get('/session-probe/whoami').expect(200)).body.sessionId).toBe(`sess_phone_${platform}`);
  });

  it('a session signed out of Clerk keeps the app’s data: a later start of the same Clerk session does not remove it', async () => {
    const ada = harness.api.addUser({ email: `ada-cart-${platform}@example.com` }).id;
    const sid = `sess_cart_${platform}`;
    const browser = harness.agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: sid }))).expect(200);
    await browser.get('/session-probe/remember').expect(200);
    const [started] = ofClerkSession(sid);
    await browser.get(`/session-probe/age?seconds=${WINDOW_SECONDS + 1}`).expect(200);
    await browser.get('/me').expect(401); // no token at revalidation: the Clerk part ends, the cart stays
    // What is left is the app's session: the app's lifetime, not the new Clerk session's short one.
    const left = storedSessions(platform, store).find((stored) => stored.id === started.id)!;
    expect(left.clerkSessionId).toBeNull();
    expect(left.expires! - Date.now()).toBeGreaterThan(7 * HOUR_MS);
    await harness.http().get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: sid }))).expect(200);
    expect((await browser.get('/session-probe/cart').expect(200)).body).toEqual({ cart: ['book'] });
  });
});
