import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { Public, type ClerkUsersModuleOptions } from '../../lib/index.js';
import { ClerkHealthIndicator } from '../../lib/terminus/index.js';
import { ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, PLATFORMS, type TestApp, type TestPlatform } from '../support/create-app.js';

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
    return this.health.check([() => this.clerk.isHealthy('clerk', { cacheMs: 60_000 })]);
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const healthApp = (clerk: ClerkUsersModuleOptions, platform: TestPlatform = 'express') =>
  createTestApp({ clerk, platform, imports: [TerminusModule], controllers: [HealthController], providers: [ClerkHealthIndicator], webhookPath: false });

describe.each(PLATFORMS)('ClerkHealthIndicator with @nestjs/terminus (%s)', (platform) => {
  let kit: ClerkTestKit;
  let api: FakeClerkApi;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    api = await kit.startFakeApi();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await kit?.close();
  });
  const start = async (clerk: ClerkUsersModuleOptions) => {
    const app = await healthApp(clerk, platform);
    apps.push(app);
    return app.app.getHttpServer();
  };

  it('is up when the Backend API serves the JWKS; a hammered endpoint asks Clerk once per cache window', async () => {
    const server = await start(kit.moduleOptions());
    api.clearRequests();
    const responses = await Promise.all(Array.from({ length: 20 }, () => request(server).get('/health')));
    for (const response of responses) expect(response.status).toBe(200);
    expect(responses[0].body).toMatchObject({ status: 'ok', info: { clerk: { status: 'up', verification: 'networkless', backendApi: 'reachable' } } });
    await request(server).get('/health').expect(200);
    expect(api.requests.filter((r) => r.path === '/v1/jwks')).toHaveLength(1);
  });

  it('with jwtKey and no secret key: up as networkless, without any call', async () => {
    const server = await start(kit.moduleOptions({ secretKey: undefined, webhookSigningSecret: undefined }));
    api.clearRequests();
    const body = (await request(server).get('/health').expect(200)).body;
    expect(body.info.clerk).toEqual({ status: 'up', verification: 'networkless', backendApi: 'not configured' });
    expect(api.requests).toHaveLength(0);
  });

  it('is down (503 from HealthCheckService) when the Backend API cannot be reached', async () => {
    const server = await start(kit.moduleOptions({ apiUrl: `http://127.0.0.1:${await closedPort()}` }));
    const body = (await request(server).get('/health').expect(503)).body;
    expect(body).toMatchObject({ status: 'error', error: { clerk: { status: 'down', message: 'Clerk Backend API unreachable' } } });
  });

  it('is down when Clerk refuses the secret key, and never shows the key', async () => {
    const secretKey = 'sk_test_revokedkey0000000000';
    const server = await start(kit.moduleOptions({ secretKey }));
    const response = await request(server).get('/health').expect(503);
    expect(response.body.error.clerk).toMatchObject({ status: 'down', message: 'Clerk Backend API refused the secret key (401)' });
    expect(response.text).not.toContain(secretKey);
  });
});
