import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { OrganizationsModule, StaffAccountsService } from '../../lib/index.js';
import { ClerkCacheService } from '../../lib/cache/clerk-cache.service.js';
import { orgCacheKey } from '../../lib/cache/cache-keys.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { deliver } from '../support/webhook-client.js';
import { withSessionMiddleware } from '../sessions/session-support.js';

// Security review, finding 3: with no shared cache, nothing a client can make the process-local
// cache hold pushes out a session revocation or a failed-login counter before it expires. The
// store is the same on every HTTP platform: Express only.

const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'correct horse battery staple';
/**
 * Before the fix each request naming a random org added two "not found" entries (org and membership)
 * and 25,100 of them pushed out both; now such a request adds none, so 2,000 show it without minutes
 * of traffic. The store-separation half is the 50,001-entry fill below.
 */
const FLOOD_REQUESTS = 2_000;
const FLOOD_CONCURRENCY = 16;

/** Entries of the process-local general store (no shared cache in this suite). */
const localEntries = (cache: ClerkCacheService): number => (cache as unknown as { local: { size: number } }).local.size;

describe('flooding the process-local cache erases no revocation and no login lockout', () => {
  const harness = useClerkTestApp({
    localAuth: { enabled: true },
    configure: withSessionMiddleware('express'),
    imports: [OrganizationsModule.forRoot({ allowOrganizationHeader: true })],
    controllers: [ProbeController],
  });
  let baseUrl: string;
  let case_ = 0;

  beforeAll(async () => {
    await harness.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(harness.app.getHttpServer().address() as AddressInfo).port}`;
  });

  /** A Clerk session that was used, then revoked by a signed `session.revoked` webhook: its token answers 401. */
  async function revokedSession(): Promise<string> {
    case_ += 1;
    const user = harness.api.addUser({ email: `revoked-${case_}@example.com` });
    const sessionId = `sess_flood_revoked_${case_}`;
    const token = harness.kit.mintSessionToken({ userId: user.id, sessionId, expiresInSeconds: 3600 });
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    const revocation = harness.kit.signWebhook('session.revoked', { object: 'session', id: sessionId, user_id: user.id, status: 'revoked', updated_at: Date.now() });
    await deliver(harness.app, revocation).expect(200);
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(401);
    return token;
  }

  const login = (email: string, password: string) => harness.http().post('/auth/local/login').set('Origin', ORIGIN).send({ email, password });

  /** A staff account locked out by five wrong passwords: even the right one answers 429. */
  async function lockedOutAccount(): Promise<string> {
    const { email } = await harness.app.get(StaffAccountsService).createStaffAccount({ email: `locked-${case_}@corp.example`, password: PASSWORD });
    for (let i = 0; i < 5; i++) await login(email!, 'wrong password').expect(401);
    await login(email!, PASSWORD).expect(429);
    return email!;
  }

  /** What the revoked session's token and the locked-out account's right password get now. */
  const stillInForce = async (revokedToken: string, lockedEmail: string) => ({
    revokedSession: (await harness.http().get('/me').set('Authorization', `Bearer ${revokedToken}`)).status,
    lockedOutLogin: (await login(lockedEmail, PASSWORD)).status,
  });

  it(`${FLOOD_REQUESTS.toLocaleString('en')} requests naming random organizations (X-Organization-Id) add no cache entry and leave both in force`, async () => {
    const revokedToken = await revokedSession();
    const lockedEmail = await lockedOutAccount();
    const cache = harness.app.get(ClerkCacheService);

    const attacker = harness.api.addUser({ email: 'flooder@example.com' });
    const authorization = `Bearer ${harness.kit.mintSessionToken({ userId: attacker.id, expiresInSeconds: 3600 })}`;
    let sent = 0;
    const statuses = new Map<number, number>();
    const worker = async () => {
      while (sent < FLOOD_REQUESTS) {
        sent += 1;
        const response = await fetch(`${baseUrl}/org`, { headers: { authorization, 'x-organization-id': `org_flood${sent.toString(36)}` } });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    // The first request caches the attacker's row and membership list; the rest must add nothing.
    await fetch(`${baseUrl}/org`, { headers: { authorization, 'x-organization-id': 'org_floodwarm' } }).then((response) => response.arrayBuffer());
    const entriesBefore = localEntries(cache);
    await Promise.all(Array.from({ length: FLOOD_CONCURRENCY }, worker));
    expect(Object.fromEntries(statuses)).toEqual({ 200: FLOOD_REQUESTS });
    expect(localEntries(cache)).toBe(entriesBefore);

    expect(await stillInForce(revokedToken, lockedEmail)).toEqual({ revokedSession: 401, lockedOutLogin: 429 });
  }, 180_000);

  it('more entries than the general store holds, written as any request path writes them, leave both in force', async () => {
    const revokedToken = await revokedSession();
    const lockedEmail = await lockedOutAccount();

    const cache = harness.app.get(ClerkCacheService);
    for (let i = 0; i < 50_001; i++) await cache.set(orgCacheKey(`org_fill${i}`), null, 30_000);

    expect(await stillInForce(revokedToken, lockedEmail)).toEqual({ revokedSession: 401, lockedOutLogin: 429 });
  }, 120_000);
});
