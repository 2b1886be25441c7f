import { beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { ClerkApiTimeoutError, ClerkUsersSync, Public, type ClerkClient } from '../../lib/index.js';
import { CLERK_CLIENT } from '../../lib/clerk-users.constants.js';
import { ClerkHealthIndicator } from '../../lib/terminus/index.js';
import { createTestApp } from '../support/create-app.js';
import { useStallingClerk } from '../users/stalling-backend-api.js';

const API_TIMEOUT_MS = 400;

@Public()
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly clerk: ClerkHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.clerk.isHealthy('clerk', { cacheMs: 0 })]);
  }
}

const elapsedMs = async (run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

describe('apiTimeoutMs bounds every Backend API call the module makes', () => {
  const suite = useStallingClerk((kit, apiUrl) =>
    createTestApp({
      clerk: kit.moduleOptions({ apiUrl, apiTimeoutMs: API_TIMEOUT_MS }),
      imports: [TerminusModule],
      controllers: [HealthController],
      providers: [ClerkHealthIndicator],
      webhookPath: false,
    }),
  );
  beforeEach(() => {
    suite.clerk.release();
  });

  it('the injected client rejects with ClerkApiTimeoutError once apiTimeoutMs has passed', async () => {
    const client = suite.harness.app.get<ClerkClient>(CLERK_CLIENT);
    suite.clerk.stalled = true;
    let failure: unknown;
    const ms = await elapsedMs(() => client.users.getUserList({ limit: 1 }).catch((error: unknown) => (failure = error)));
    expect(failure).toBeInstanceOf(ClerkApiTimeoutError);
    expect((failure as ClerkApiTimeoutError).timeoutMs).toBe(API_TIMEOUT_MS);
    expect(ms).toBeGreaterThanOrEqual(API_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(API_TIMEOUT_MS + 1000);
  });

  it('an answering client is untouched: results, errors with status, and non-API members', async () => {
    const client = suite.harness.app.get<ClerkClient>(CLERK_CLIENT);
    const user = suite.api.addUser({ email: 'through@example.com' });
    expect((await client.users.getUser(user.id)).id).toBe(user.id);
    await expect(client.users.getUser('user_missing000000000000000001')).rejects.toMatchObject({ status: 404 });
    expect(typeof client.authenticateRequest).toBe('function');
  });

  it('the sync command: a page that hangs times out and is retried, then the run completes', async () => {
    for (let i = 0; i < 3; i++) suite.api.addUser({ email: `sync${i}@example.com` });
    suite.clerk.stalled = true;
    const sleeps: number[] = [];
    const summary = await suite.harness.app.get(ClerkUsersSync).run({
      all: true,
      limit: 100,
      retry: {
        baseDelayMs: 1,
        sleep: async (ms) => void sleeps.push(ms),
        onRetry: () => {
          suite.clerk.stalled = false; // Clerk recovers after the first attempt timed out
        },
      },
    });
    expect(sleeps).toHaveLength(1);
    expect(summary.failed).toBe(0);
    expect(summary.total).toBe(suite.api.listUsers().length);
    expect(suite.clerk.count('/v1/users')).toBeGreaterThanOrEqual(2);
  });

  it('the health check reports Clerk down (503) within its timeout when the Backend API never answers', async () => {
    suite.clerk.stalled = true;
    let response: request.Response | undefined;
    const ms = await elapsedMs(async () => (response = await request(suite.harness.app.getHttpServer()).get('/health')));
    expect(response?.status).toBe(503);
    expect(response?.body).toMatchObject({ status: 'error', error: { clerk: { status: 'down', message: expect.stringMatching(/timeout of 400ms|did not answer within 400 ms/) } } });
    expect(ms).toBeLessThan(API_TIMEOUT_MS + 1000);
  });
});
