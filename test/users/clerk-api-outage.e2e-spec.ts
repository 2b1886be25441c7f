import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ClerkUsersService } from '../../lib/index.js';
import { createTestApp, PLATFORMS } from '../support/create-app.js';
import { useStallingClerk } from './stalling-backend-api.js';

const API_TIMEOUT_MS = 500;

describe.each(PLATFORMS)('first request of a new user while Clerk is down (%s)', (platform) => {
  const suite = useStallingClerk((kit, apiUrl) =>
    // jwtKey verifies tokens without the network, so only the first-request lookup goes to Clerk.
    createTestApp({ clerk: kit.moduleOptions({ apiUrl, apiTimeoutMs: API_TIMEOUT_MS }), platform }),
  );

  const me = (userId: string) => request(suite.harness.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${suite.kit.mintSessionToken({ userId })}`);
  const rows = (clerkId: string) => suite.harness.dataSource.query(`SELECT email FROM clerk_users WHERE "clerkId" = $1`, [clerkId]);
  const lookups = (clerkId: string) => suite.clerk.count(`/v1/users/${clerkId}`);
  const timed = async <T>(run: () => Promise<T>) => {
    const started = performance.now();
    const result = await run();
    return { result, ms: performance.now() - started };
  };

  it('a Backend API that never answers: 503 + Retry-After within apiTimeoutMs + 1 s, no row; a late answer is dropped; then it succeeds', async () => {
    const user = suite.api.addUser({ email: 'stalled@example.com' });
    suite.clerk.stalled = true;
    const { result: response, ms } = await timed(() => me(user.id));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toMatchObject({ statusCode: 503 });
    expect(ms).toBeGreaterThanOrEqual(API_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(API_TIMEOUT_MS + 1000);
    expect(await rows(user.id)).toEqual([]);

    // Clerk answers the abandoned call after all: its answer must not be written.
    suite.clerk.stalled = false;
    suite.clerk.release();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(suite.api.requests.filter((r) => r.path === `/v1/users/${user.id}`)).toHaveLength(1);
    expect(await rows(user.id)).toEqual([]);

    expect((await me(user.id).expect(200)).body).toMatchObject({ clerkId: user.id, email: 'stalled@example.com' });
    expect(await rows(user.id)).toEqual([{ email: 'stalled@example.com' }]);
    expect(lookups(user.id)).toBe(2);
  });

  it('twenty concurrent first requests during a stall make one call and all get 503; the timed-out flight is not remembered', async () => {
    const user = suite.api.addUser({ email: 'crowd-stalled@example.com' });
    suite.clerk.stalled = true;
    const { result: responses, ms } = await timed(() => Promise.all(Array.from({ length: 20 }, () => me(user.id))));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(503));
    expect(responses.every((r) => r.headers['retry-after'] === '5')).toBe(true);
    expect(ms).toBeLessThan(API_TIMEOUT_MS + 1000);
    expect(lookups(user.id)).toBe(1);
    expect(await rows(user.id)).toEqual([]);

    suite.clerk.stalled = false;
    const statuses = await Promise.all(Array.from({ length: 20 }, () => me(user.id).then((r) => r.status)));
    expect(statuses).toEqual(Array(20).fill(200));
    expect(lookups(user.id)).toBe(2);
    expect(await rows(user.id)).toHaveLength(1);
    suite.clerk.release();
  });

  it.each([
    [500, undefined, '5'],
    [502, undefined, '5'],
    [503, 30, '30'],
    [429, 7, '7'],
    [401, undefined, '5'], // a revoked secret key: still no claims-only row
  ])('Clerk answering %s (its Retry-After: %s) gives 503 + Retry-After %s, writes nothing, and the next request succeeds', async (status, retryAfterSeconds, header) => {
    const user = suite.api.addUser({ email: `answer-${status}@example.com` });
    suite.api.failNext({ status, retryAfterSeconds, pathPrefix: `/v1/users/${user.id}` });
    const response = await me(user.id).expect(503);
    expect(response.headers['retry-after']).toBe(header);
    expect(response.text).not.toContain(suite.kit.secretKey);
    expect(await rows(user.id)).toEqual([]);
    await me(user.id).expect(200);
    expect(await rows(user.id)).toEqual([{ email: `answer-${status}@example.com` }]);
  });

  it('a user Clerk answers 404 for is still a 401, not a 503', async () => {
    await me('user_gone00000000000000000000002').expect(401);
  });

  it('known users never wait on Clerk: a stall does not touch them', async () => {
    const user = suite.api.addUser({ email: 'known@example.com' });
    await me(user.id).expect(200);
    suite.clerk.stalled = true;
    await suite.harness.app.get(ClerkUsersService).invalidate(user.id); // from the database, not the cache
    await me(user.id).expect(200);
    expect(lookups(user.id)).toBe(1);
  });
});
