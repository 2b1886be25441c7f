import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import { ClerkUsersService } from '../../lib/index.js';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { useClerkTestApp, type ClerkAppHarness } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestPlatform } from '../support/create-app.js';
import { graphqlHttp, graphqlWsClient, results } from './graphql-clients.js';
import { graphqlModule, ProbeResolver } from './graphql.fixtures.js';

const member = 'user_gqlmember000000000000000001';
const staff = 'user_gqlstaff0000000000000000001';
const org = { id: 'org_gql00000000000000000000001', slug: 'acme' };

interface GraphqlSetup {
  harness: ClerkAppHarness;
  /** Another key pair: its tokens are well-formed but forged. */
  forger: ClerkTestKit;
  url: string;
}

/** ApolloDriver exits the process when its HTTP integration package is missing: fail the suite with a clear message instead. */
async function assertApolloIntegration(platform: TestPlatform): Promise<void> {
  const integration = platform === 'express' ? '@as-integrations/express5' : '@as-integrations/fastify';
  try {
    await import(integration);
  } catch {
    throw new Error(`${integration} is not installed: ApolloDriver needs it to serve GraphQL on ${platform}`);
  }
}

/** Registers, in the calling describe block, a listening app with the GraphQL probe resolver, its users and a forger kit. */
function useGraphqlApp(platform: TestPlatform, authenticateOnConnect: boolean, clockSkewSeconds?: number): GraphqlSetup {
  const harness = useClerkTestApp(async () => {
    await assertApolloIntegration(platform);
    return {
      platform,
      clerk: clockSkewSeconds === undefined ? {} : { clockSkewSeconds },
      controllers: [],
      providers: [ProbeResolver],
      imports: [graphqlModule({ authenticateOnConnect })],
    };
  });
  const setup: GraphqlSetup = { harness, forger: undefined as unknown as ClerkTestKit, url: '' };
  beforeAll(async () => {
    harness.api.addUser({ id: member, email: 'gql-member@example.com' });
    harness.api.addUser({ id: staff, email: 'gql-staff@example.com' });
    await harness.app.listen(0, '127.0.0.1');
    setup.url = await harness.app.getUrl();
    setup.forger = await ClerkTestKit.create();
  });
  return setup;
}

/** The refusal a client sees: one generic error with only a code, no detail of why. */
const refusal = (code: 'UNAUTHENTICATED' | 'FORBIDDEN') => ({
  message: code === 'UNAUTHENTICATED' ? 'Unauthorized' : 'Forbidden',
  extensions: { code },
});

describe.each(PLATFORMS)('GraphQL resolvers over HTTP and graphql-ws (%s)', (platform) => {
  const setup = useGraphqlApp(platform, true);
  const clients: Client[] = [];
  const token = (input: Partial<Parameters<ClerkTestKit['mintSessionToken']>[0]> = {}) => setup.harness.kit.mintSessionToken({ userId: member, ...input });
  const gql = (query: string, bearer?: string) => graphqlHttp(setup.harness.app, query, bearer);
  const ws = (connectionParams?: Record<string, unknown>) => {
    const opened = graphqlWsClient(setup.url, connectionParams);
    clients.push(opened.client);
    return opened;
  };

  beforeAll(async () => {
    // Staff flags are local: provision the staff user, then promote the row.
    await gql('{ me { clerkId } }', setup.harness.kit.mintSessionToken({ userId: staff }));
    await setup.harness.dataSource.query(`UPDATE clerk_users SET "isStaff" = true WHERE "clerkId" = $1`, [staff]);
    await setup.harness.app.get(ClerkUsersService).invalidate(staff);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  describe('queries and mutations', () => {
    it('a guarded query without a token is UNAUTHENTICATED, generic, with no detail', async () => {
      const body = await gql('{ me { clerkId } }');
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([expect.objectContaining(refusal('UNAUTHENTICATED'))]);
      expect(Object.keys(body.errors![0].extensions!)).toEqual(['code']);
    });

    it.each([
      ['an expired token', () => token({ expiresInSeconds: -60 })],
      ['a token signed by another key', () => setup.forger.mintSessionToken({ userId: member })],
      ['a malformed token', () => 'not-a-jwt'],
    ])('%s is UNAUTHENTICATED', async (_name, makeToken) => {
      const body = await gql('{ me { clerkId } }', makeToken());
      expect(body.errors).toEqual([expect.objectContaining(refusal('UNAUTHENTICATED'))]);
    });

    it('with a token, @CurrentUser() and @CurrentOrg() resolve in the resolver', async () => {
      const body = await gql('{ me { clerkId email orgId orgRole } myEmail }', token({ org: { ...org, role: 'admin' } }));
      expect(body).toEqual({
        data: { me: { clerkId: member, email: 'gql-member@example.com', orgId: org.id, orgRole: 'org:admin' }, myEmail: 'gql-member@example.com' },
      });
    });

    it('@Public(): no user without a token, the user with one, a bad token ignored', async () => {
      expect(await gql('{ maybeMe { clerkId } }')).toEqual({ data: { maybeMe: null } });
      expect(await gql('{ maybeMe { clerkId } }', token())).toEqual({ data: { maybeMe: { clerkId: member } } });
      expect(await gql('{ maybeMe { clerkId } }', token({ expiresInSeconds: -60 }))).toEqual({ data: { maybeMe: null } });
    });

    type Caller = 'no token' | 'no org' | 'org member' | 'org admin' | 'posts:manage only' | 'posts:read' | 'staff';
    const callers: Record<Caller, () => string | undefined> = {
      'no token': () => undefined,
      'no org': () => token(),
      'org member': () => token({ org: { ...org, role: 'member' } }),
      'org admin': () => token({ org: { ...org, role: 'admin' } }),
      'posts:manage only': () => token({ org: { ...org, permissions: ['org:posts:manage'] } }),
      'posts:read': () => token({ org: { ...org, permissions: ['org:posts:read'] } }),
      staff: () => setup.harness.kit.mintSessionToken({ userId: staff }),
    };
    it.each<[string, Caller, 'UNAUTHENTICATED' | 'FORBIDDEN' | 'data']>([
      ['orgOnly', 'no org', 'FORBIDDEN'],
      ['orgOnly', 'org member', 'data'],
      ['adminOnly', 'org member', 'FORBIDDEN'],
      ['adminOnly', 'org admin', 'data'],
      ['adminOnly', 'no token', 'UNAUTHENTICATED'],
      ['canReadPosts', 'posts:manage only', 'FORBIDDEN'],
      ['canReadPosts', 'posts:read', 'data'],
      ['staffOnly', 'no org', 'FORBIDDEN'],
      ['staffOnly', 'staff', 'data'],
      ['superuserOnly', 'staff', 'FORBIDDEN'],
    ])('authorization decorators: %s as %s → %s', async (field, caller, outcome) => {
      const body = await gql(`{ ${field} }`, callers[caller]());
      if (outcome === 'data') expect(body.errors).toBeUndefined();
      else expect(body).toEqual({ data: null, errors: [expect.objectContaining(refusal(outcome))] });
    });

    it('a mutation is guarded and sees the user', async () => {
      expect((await gql('mutation { echo(text: "hi") }')).errors).toEqual([expect.objectContaining(refusal('UNAUTHENTICATED'))]);
      expect(await gql('mutation { echo(text: "hi") }', token())).toEqual({ data: { echo: `${member}: hi` } });
    });
  });

  describe('subscriptions over graphql-ws, authenticated when the connection opens', () => {
    it('accepts a valid token in connectionParams.authorization: the events carry the user', async () => {
      const { client } = ws({ authorization: `Bearer ${token()}` });
      expect(await results(client, 'subscription { ticks { n clerkId } }')).toEqual([
        { data: { ticks: { n: 1, clerkId: member } } },
        { data: { ticks: { n: 2, clerkId: member } } },
      ]);
    });

    it('accepts a bare connectionParams.token, and runs queries over the same connection', async () => {
      const { client } = ws({ token: token({ org: { ...org, role: 'admin' } }) });
      expect(await results(client, '{ me { clerkId orgRole } }')).toEqual([{ data: { me: { clerkId: member, orgRole: 'org:admin' } } }]);
      expect(await results(client, 'subscription { adminTicks { clerkId } }')).toEqual([{ data: { adminTicks: { clerkId: member } } }]);
    });

    it.each([
      ['without a token', () => undefined],
      ['with a forged token', () => ({ authorization: `Bearer ${setup.forger.mintSessionToken({ userId: member })}` })],
      ['with an expired token', () => ({ token: token({ expiresInSeconds: -60 }) })],
    ])('refuses the connection %s (4403 Forbidden)', async (_name, params) => {
      const { client, closed } = ws(params());
      await expect(results(client, 'subscription { ticks { n } }')).rejects.toMatchObject({ code: 4403, reason: 'Forbidden' });
      expect(closed()).toMatchObject({ code: 4403 });
    });

    it('the authorization decorators apply to a subscription: FORBIDDEN', async () => {
      const { client } = ws({ token: token({ org: { ...org, role: 'member' } }) });
      expect(await results(client, 'subscription { adminTicks { clerkId } }')).toEqual([{ errors: [expect.objectContaining(refusal('FORBIDDEN'))] }]);
    });
  });
});

describe.each(PLATFORMS)('graphql-ws without onConnect: the guard authenticates each operation from connectionParams (%s)', (platform) => {
  const setup = useGraphqlApp(platform, false, 0);
  const clients: Client[] = [];
  const ws = (connectionParams?: Record<string, unknown>) => {
    const opened = graphqlWsClient(setup.url, connectionParams);
    clients.push(opened.client);
    return opened.client;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  it('a valid token in connectionParams: accepted', async () => {
    const client = ws({ authorization: `Bearer ${setup.harness.kit.mintSessionToken({ userId: member })}` });
    expect(await results(client, 'subscription { ticks { clerkId } }')).toHaveLength(2);
  });

  it('no token or a forged one: the operation is UNAUTHENTICATED, a @Public() one still answers', async () => {
    const anonymous = ws();
    expect(await results(anonymous, 'subscription { ticks { n } }')).toEqual([{ errors: [expect.objectContaining(refusal('UNAUTHENTICATED'))] }]);
    expect(await results(anonymous, '{ maybeMe { clerkId } }')).toEqual([{ data: { maybeMe: null } }]);
    const forged = ws({ token: setup.forger.mintSessionToken({ userId: member }) });
    expect(await results(forged, 'subscription { ticks { n } }')).toEqual([{ errors: [expect.objectContaining(refusal('UNAUTHENTICATED'))] }]);
  });

  it('an internal failure is INTERNAL_SERVER_ERROR with a generic message; the database error is not shown', async () => {
    const newcomer = setup.harness.api.addUser({ email: 'gql-newcomer@example.com' });
    await setup.harness.dataSource.query('ALTER TABLE clerk_users RENAME TO clerk_users_away');
    try {
      const body = await graphqlHttp(setup.harness.app, '{ me { clerkId } }', setup.harness.kit.mintSessionToken({ userId: newcomer.id }));
      expect(body).toEqual({ data: null, errors: [expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
      expect(JSON.stringify(body)).not.toMatch(/clerk_users|relation/);
    } finally {
      await setup.harness.dataSource.query('ALTER TABLE clerk_users_away RENAME TO clerk_users');
    }
  });

  it('a connection stops working once its token has expired', async () => {
    const short = setup.harness.kit.mintSessionToken({ userId: member, expiresInSeconds: 2 });
    const expiresAt = JSON.parse(Buffer.from(short.split('.')[1], 'base64url').toString()).exp * 1000;
    const client = ws({ token: short });
    expect(await results(client, '{ me { clerkId } }')).toEqual([{ data: { me: { clerkId: member } } }]);
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50));
    expect(await results(client, '{ me { clerkId } }')).toEqual([{ data: null, errors: [expect.objectContaining(refusal('UNAUTHENTICATED'))] }]);
  });
});
