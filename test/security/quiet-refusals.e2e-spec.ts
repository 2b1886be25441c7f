import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, HttpCode, Post, type LoggerService } from '@nestjs/common';
import { Webhook } from 'svix';
import { ClerkWebhookEndpoint, VerifiedClerkWebhookEvent, type ClerkWebhookEvent } from '../../lib/index.js';
import request from 'supertest';
import { buildClerkUser, generateWebhookSecret } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestPlatform } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';
import { graphqlHttp } from '../transports/graphql-clients.js';
import { graphqlModule, ProbeResolver } from '../transports/graphql.fixtures.js';

// Refusing a client is not a server error: an anonymous GraphQL query or an unsigned, non-JSON
// webhook POST must leave no error line in the app's log (anyone can send them, and an error log
// per request buries the real ones and pages whoever watches it).

/** The app's logger, keeping every error line. */
class CapturingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    const text = message instanceof Error ? (message.stack ?? message.message) : String(message);
    this.errors.push([text, ...rest.map(String)].join(' '));
  }
  clear(): void {
    this.errors.length = 0;
  }
}

const ownSecret = generateWebhookSecret();

/** An app's own endpoint (`@ClerkWebhookEndpoint()`, verified by ClerkWebhookGuard). */
@Controller('hooks')
class OwnHookController {
  @ClerkWebhookEndpoint({ secret: ownSecret })
  @Post('own')
  @HttpCode(200)
  own(@VerifiedClerkWebhookEvent() event: ClerkWebhookEvent) {
    return { type: event.type };
  }
}

async function assertApolloIntegration(platform: TestPlatform): Promise<void> {
  const integration = platform === 'express' ? '@as-integrations/express5' : '@as-integrations/fastify';
  try {
    await import(integration);
  } catch {
    throw new Error(`${integration} is not installed: ApolloDriver needs it to serve GraphQL on ${platform}`);
  }
}

describe.each(PLATFORMS)('anonymous GraphQL queries are refused without an error log (%s)', (platform) => {
  const logger = new CapturingLogger();
  const harness = useClerkTestApp(async () => {
    await assertApolloIntegration(platform);
    return { platform, logger, controllers: [], providers: [ProbeResolver], imports: [graphqlModule({ authenticateOnConnect: false })] };
  });
  beforeEach(() => logger.clear());

  it('a query without a token: UNAUTHENTICATED with the generic message, and no error line', async () => {
    const body = await graphqlHttp(harness.app, '{ me { clerkId } }');
    expect(body).toEqual({ data: null, errors: [expect.objectContaining({ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } })] });
    expect(logger.errors).toEqual([]);
  });

  it('a forged token: the same answer, no error line', async () => {
    const body = await graphqlHttp(harness.app, '{ me { clerkId } }', 'not-a-jwt');
    expect(body).toEqual({ data: null, errors: [expect.objectContaining({ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } })] });
    expect(logger.errors).toEqual([]);
  });

  it('a mutation without a token: UNAUTHENTICATED, no error line', async () => {
    const body = await graphqlHttp(harness.app, 'mutation { echo(text: "hi") }');
    expect(body.errors).toEqual([expect.objectContaining({ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } })]);
    expect(logger.errors).toEqual([]);
  });

  it('a signed-in member refused a role: FORBIDDEN, no error line', async () => {
    harness.api.addUser({ id: 'user_quietrefusal00000000000001', email: 'quiet@example.com' });
    const token = harness.kit.mintSessionToken({ userId: 'user_quietrefusal00000000000001' });
    const body = await graphqlHttp(harness.app, '{ adminOnly }', token);
    expect(body).toEqual({ data: null, errors: [expect.objectContaining({ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } })] });
    expect(logger.errors).toEqual([]);
  });
});

describe.each(PLATFORMS)('unsigned webhook POSTs of another content type (%s)', (platform) => {
  const logger = new CapturingLogger();
  const harness = useClerkTestApp({ platform, fakeApi: false, logger, clerk: { secretKey: undefined }, controllers: [OwnHookController] });
  const events = async () => Number((await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_webhook_events`))[0].n);
  const users = async () => Number((await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users`))[0].n);
  let before: { events: number; users: number };

  beforeAll(async () => {
    before = { events: await events(), users: await users() };
  });
  beforeEach(() => logger.clear());

  it('text/plain: 415, no error line, nothing written', async () => {
    const response = await request(harness.app.getHttpServer()).post('/webhooks/clerk').set('Content-Type', 'text/plain').send('hello');
    expect(response.status).toBe(415);
    expect(logger.errors).toEqual([]);
    expect({ events: await events(), users: await users() }).toEqual(before);
  });

  it('a signed delivery sent as text/plain is refused too (Svix always sends application/json): 415, nothing written', async () => {
    const delivery = harness.kit.signWebhook('user.created', buildClerkUser());
    const response = await deliver(harness.app, { ...delivery, headers: { ...delivery.headers, 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
    expect(logger.errors).toEqual([]);
    expect({ events: await events(), users: await users() }).toEqual(before);
  });

  it('a form post: 415, no error line, nothing written', async () => {
    const response = await request(harness.app.getHttpServer()).post('/webhooks/clerk').type('form').send({ a: '1' });
    expect(response.status).toBe(415);
    expect(logger.errors).toEqual([]);
    expect({ events: await events(), users: await users() }).toEqual(before);
  });

  it('unsigned application/json: 400, no error line, nothing written', async () => {
    const response = await request(harness.app.getHttpServer()).post('/webhooks/clerk').send({ type: 'user.created', data: {} });
    expect(response.status).toBe(400);
    expect(logger.errors).toEqual([]);
    expect({ events: await events(), users: await users() }).toEqual(before);
  });

  it('a signed application/json delivery still lands: 200', async () => {
    const response = await deliver(harness.app, harness.kit.signWebhook('user.created', buildClerkUser()));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(logger.errors).toEqual([]);
    expect(await events()).toBe(before.events + 1);
  });

  it('an app endpoint (@ClerkWebhookEndpoint): text/plain 415 and unsigned JSON 400 without an error line, signed JSON 200', async () => {
    const http = () => request(harness.app.getHttpServer());
    expect((await http().post('/hooks/own').set('Content-Type', 'text/plain').send('hello')).status).toBe(415);
    expect((await http().post('/hooks/own').send({ type: 'user.created', data: {} })).status).toBe(400);
    expect(logger.errors).toEqual([]);
    const body = JSON.stringify({ type: 'user.created', data: buildClerkUser(), object: 'event' });
    const id = `msg_${Date.now()}`;
    const timestamp = new Date();
    const signature = new Webhook(ownSecret).sign(id, timestamp, body);
    const headers = { 'svix-id': id, 'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'svix-signature': signature, 'content-type': 'application/json' };
    const response = await http().post('/hooks/own').set(headers).send(body);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ type: 'user.created' });
  });
});
