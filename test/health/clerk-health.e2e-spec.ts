import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { Public, type ClerkUsersModuleOptions } from '../../lib/index.js';
import { ClerkHealthIndicator } from '../../lib/terminus/index.js';
import { useClerkTestKit } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

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

describe.each(PLATFORMS)('ClerkHealthIndicator with @nestjs/terminus (%s)', (platform) => {
  const suite = useClerkTestKit();
  /** An app with the health endpoint, on the suite's kit with `clerk` laid over its options; closed after the suite. */
  const start = async (clerk: ClerkUsersModuleOptions = {}) => {
    const app = await suite.startApp({ clerk, platform, imports: [TerminusModule], controllers: [HealthController], providers: [ClerkHealthIndicator], webhookPath: false });
    return app.app.getHttpServer();
  };

  it('is up when the Backend API serves the JWKS; a hammered endpoint asks Clerk once per cache window', async () => {
    const server = await start();
    suite.api.clearRequests();
    const responses = await Promise.all(Array.from({ length: 20 }, () => request(server).get('/health')));
    for (const response of responses) expect(response.status).toBe(200);
    expect(responses[0].body).toMatchObject({ status: 'ok', info: { clerk: { status: 'up', verification: 'networkless', backendApi: 'reachable' } } });
    await request(server).get('/health').expect(200);
    expect(suite.api.requests.filter((r) => r.path === '/v1/jwks')).toHaveLength(1);
  });

  it('with jwtKey and no secret key: up as networkless, without any call', async () => {
    const server = await start({ secretKey: undefined, webhookSigningSecret: undefined });
    suite.api.clearRequests();
    const body = (await request(server).get('/health').expect(200)).body;
    expect(body.info.clerk).toEqual({ status: 'up', verification: 'networkless', backendApi: 'not configured' });
    expect(suite.api.requests).toHaveLength(0);
  });

  it('is down (503 from HealthCheckService) when the Backend API cannot be reached', async () => {
    const server = await start({ apiUrl: `http://127.0.0.1:${await closedPort()}` });
    const body = (await request(server).get('/health').expect(503)).body;
    expect(body).toMatchObject({ status: 'error', error: { clerk: { status: 'down', message: 'Clerk Backend API unreachable' } } });
  });

  it('is down when Clerk refuses the secret key, and never shows the key', async () => {
    const secretKey = 'sk_test_revokedkey0000000000';
    const server = await start({ secretKey });
    const response = await request(server).get('/health').expect(503);
    expect(response.body.error.clerk).toMatchObject({ status: 'down', message: 'Clerk Backend API refused the secret key (401)' });
    expect(response.text).not.toContain(secretKey);
  });
});
