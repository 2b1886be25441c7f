import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { isReverificationHint, reverificationError } from '@clerk/shared/authorization-errors';
import type { Client } from 'graphql-ws';
import type { Socket } from 'socket.io-client';
import type { MintSessionTokenInput } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestPlatform } from '../support/create-app.js';
import { graphqlHttp, graphqlWsClient, results } from '../transports/graphql-clients.js';
import { graphqlModule } from '../transports/graphql.fixtures.js';
import { connected, openSocket, send, type SocketOptions } from '../transports/socket-io-client.js';
import { ChatGateway } from '../transports/socket-io.fixtures.js';
import { AuthorizationResolver, VaultGateway } from './authorization-transports.fixtures.js';

const USER = 'user_authztransport00000000000001';
const ORG = { id: 'org_authztransport0000000000001', slug: 'transport', role: 'member' };
const IMPERSONATOR = { sub: 'user_support00000000000000001' };

/** The GraphQL refusals: generic, a code only, except a reverification, which carries Clerk's payload. */
const refusal = (code: 'UNAUTHENTICATED' | 'FORBIDDEN') => ({ message: code === 'UNAUTHENTICATED' ? 'Unauthorized' : 'Forbidden', extensions: { code } });
const reverification = { message: 'Forbidden', extensions: { code: 'FORBIDDEN', ...reverificationError('strict') } };

/** ApolloDriver exits the process when its HTTP integration package is missing: fail the suite with a clear message instead. */
async function assertApolloIntegration(platform: TestPlatform): Promise<void> {
  const integration = platform === 'express' ? '@as-integrations/express5' : '@as-integrations/fastify';
  await import(integration).catch(() => {
    throw new Error(`${integration} is not installed: ApolloDriver needs it to serve GraphQL on ${platform}`);
  });
}

describe.each(PLATFORMS)('Clerk authorization in GraphQL resolvers, over HTTP and graphql-ws (%s)', (platform) => {
  const harness = useClerkTestApp(async () => {
    await assertApolloIntegration(platform);
    return { platform, controllers: [], providers: [AuthorizationResolver], imports: [graphqlModule({ authenticateOnConnect: false })] };
  });
  let url = '';
  const clients: Client[] = [];

  beforeAll(async () => {
    harness.api.addUser({ id: USER, email: 'authz-gql@example.com' });
    await harness.app.listen(0, '127.0.0.1');
    url = await harness.app.getUrl();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  const token = (input: Omit<MintSessionTokenInput, 'userId'> = {}) => harness.kit.mintSessionToken({ userId: USER, ...input });
  const gql = (query: string, bearer?: string) => graphqlHttp(harness.app, query, bearer);
  const expectRefused = async (query: string, bearer: string | undefined, error: object) => {
    expect(await gql(query, bearer)).toEqual({ data: null, errors: [expect.objectContaining(error)] });
  };

  it('@RequireFeature / @RequirePlan: UNAUTHENTICATED without a token, FORBIDDEN without the entitlement', async () => {
    await expectRefused('{ exportReport }', undefined, refusal('UNAUTHENTICATED'));
    await expectRefused('{ exportReport }', token(), refusal('FORBIDDEN'));
    expect(await gql('{ exportReport }', token({ claims: { fea: 'u:export' } }))).toEqual({ data: { exportReport: true } });
    await expectRefused('{ teamReport }', token({ claims: { pla: 'u:team' } }), refusal('FORBIDDEN'));
    expect(await gql('{ teamReport }', token({ org: ORG, claims: { pla: 'o:team' } }))).toEqual({ data: { teamReport: true } });
  });

  it('@Auth().has() and ClerkAuthorization.has() in a resolver', async () => {
    expect(await gql('{ canExport { auth service } }', token({ claims: { fea: 'o:export' } }))).toEqual({ data: { canExport: { auth: true, service: true } } });
    expect(await gql('{ canExport { auth service } }', token())).toEqual({ data: { canExport: { auth: false, service: false } } });
  });

  it('@RequireReverification: FORBIDDEN carrying Clerk’s reverificationError in extensions (useReverification recognises it)', async () => {
    const body = await gql('mutation { changePassword }', token({ claims: { fva: [0, 10] } }));
    expect(body).toEqual({ data: null, errors: [expect.objectContaining(reverification)] });
    expect(isReverificationHint(body.errors![0].extensions)).toBe(true);
    expect(await gql('mutation { changePassword }', token({ claims: { fva: [0, 9] } }))).toEqual({ data: { changePassword: true } });
    await expectRefused('mutation { changePassword }', undefined, refusal('UNAUTHENTICATED'));
  });

  it('pending sessions: UNAUTHENTICATED by default, let in by @AllowPendingSession()', async () => {
    const pending = token({ claims: { sts: 'pending' } });
    await expectRefused('{ whoami { clerkId } }', pending, refusal('UNAUTHENTICATED'));
    expect(await gql('{ onboarding { clerkId sessionStatus } }', pending)).toEqual({ data: { onboarding: { clerkId: USER, sessionStatus: 'pending' } } });
  });

  it('@DenyImpersonation: FORBIDDEN for an impersonated session', async () => {
    await expectRefused('mutation { closeAccount }', token({ claims: { act: IMPERSONATOR } }), refusal('FORBIDDEN'));
    expect(await gql('mutation { closeAccount }', token())).toEqual({ data: { closeAccount: true } });
  });

  it('a subscription over graphql-ws: the reverification refusal carries the same payload', async () => {
    const stale = graphqlWsClient(url, { authorization: `Bearer ${token({ claims: { fva: [0, 30] } })}` });
    clients.push(stale.client);
    expect(await results(stale.client, 'subscription { secrets { n } }')).toEqual([{ errors: [expect.objectContaining(reverification)] }]);
    const fresh = graphqlWsClient(url, { authorization: `Bearer ${token({ claims: { fva: [0, 1] } })}` });
    clients.push(fresh.client);
    expect(await results(fresh.client, 'subscription { secrets { n } }')).toEqual([{ data: { secrets: { n: 1 } } }]);
  });
});

describe.each(PLATFORMS)('Clerk authorization in socket.io gateways (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { acceptsToken: ['session_token', 'api_key'] }, controllers: [], providers: [VaultGateway, ChatGateway] });
  let url = '';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    harness.api.addUser({ id: USER, email: 'authz-ws@example.com' });
    await harness.app.listen(0, '127.0.0.1');
    url = await harness.app.getUrl();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  const token = (input: Omit<MintSessionTokenInput, 'userId'> = {}) => harness.kit.mintSessionToken({ userId: USER, ...input });
  const join = async (options: SocketOptions = {}) => {
    const socket = openSocket(url, 'vault', options);
    sockets.push(socket);
    await connected(socket);
    return socket;
  };
  const unauthorized = { exception: expect.objectContaining({ status: 'error', message: 'Unauthorized' }) };
  const forbidden = { exception: expect.objectContaining({ status: 'error', message: 'Forbidden' }) };

  it('@RequireFeature: Unauthorized without a token, Forbidden without the feature', async () => {
    expect(await send(await join(), 'export')).toEqual(unauthorized);
    expect(await send(await join({ token: token() }), 'export')).toEqual(forbidden);
    expect(await send(await join({ token: token({ claims: { fea: 'u:export' } }) }), 'export')).toEqual({ ack: { ok: true } });
  });

  it('@RequireReverification: a Forbidden exception with Clerk’s payload in extensions', async () => {
    const { exception } = await send(await join({ token: token({ claims: { fva: [0, 10] } }) }), 'reveal');
    expect(exception).toEqual({ status: 'error', message: 'Forbidden', extensions: { code: 'FORBIDDEN', ...reverificationError('strict') } });
    expect(isReverificationHint((exception as { extensions: unknown }).extensions)).toBe(true);
    expect(await send(await join({ token: token({ claims: { fva: [0, 9] } }) }), 'reveal')).toEqual({ ack: { ok: true } });
  });

  it('a pending session: refused by default, let in by @AllowPendingSession(), and still refused elsewhere on the same socket', async () => {
    const socket = await join({ token: token({ claims: { sts: 'pending' } }) });
    expect(await send(socket, 'whoami')).toEqual(unauthorized);
    expect(await send(socket, 'onboarding')).toEqual({ ack: { clerkId: USER, sessionStatus: 'pending' } });
    // The socket now holds the pending session: a route that does not allow it still refuses it.
    expect(await send(socket, 'whoami')).toEqual(unauthorized);
  });

  it('a gateway that authenticates the handshake (ClerkWsAuth) refuses a pending session: connect_error "Unauthorized"', async () => {
    const socket = openSocket(url, 'chat', { token: token({ claims: { sts: 'pending' } }) });
    sockets.push(socket);
    await expect(connected(socket)).rejects.toMatchObject({ message: 'Unauthorized' });
  });

  it('@DenyImpersonation: Forbidden for an impersonated session', async () => {
    expect(await send(await join({ token: token({ claims: { act: IMPERSONATOR } }) }), 'close')).toEqual(forbidden);
    expect(await send(await join({ token: token() }), 'close')).toEqual({ ack: { ok: true } });
  });

  it('@RequireScopes: an API key in the handshake needs the scope', async () => {
    expect(await send(await join({ token: harness.api.issueMachineToken({ type: 'api_key', scopes: ['vault:write'] }) }), 'read')).toEqual(forbidden);
    expect(await send(await join({ token: harness.api.issueMachineToken({ type: 'api_key', scopes: ['vault:read'] }) }), 'read')).toEqual({ ack: { tokenType: 'api_key', onSocket: 'api_key' } });
  });
});
