import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import type { Socket } from 'socket.io-client';
import { OrganizationsModule } from '../../lib/index.js';
import { buildClerkMembership, buildClerkOrganization, buildClerkUser, type ClerkTestKit } from '../../lib/testing/index.js';
import { useClerkTestApp, type ClerkAppHarness } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestPlatform } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';
import { graphqlHttp, graphqlWsClient, results } from './graphql-clients.js';
import { graphqlModule, OrgEntityResolver } from './graphql.fixtures.js';
import { connected, openSocket, send } from './socket-io-client.js';
import { OrgGateway } from './socket-io.fixtures.js';

/** `member` belongs to `acme`; `globex` exists (it has `outsider`) but `member` is not a recorded member of it. */
const acme = buildClerkOrganization({ name: 'Acme', slug: 'acme' });
const globex = buildClerkOrganization({ name: 'Globex', slug: 'globex' });
const member = buildClerkUser({ firstName: 'Member' });
const outsider = buildClerkUser({ firstName: 'Outsider' });
const acmeEntity = { clerkId: acme.id, slug: 'acme' };

interface Setup {
  harness: ClerkAppHarness;
  url: string;
}

/**
 * Registers, in the calling describe block, one app with `OrganizationsModule.forRoot()`, a GraphQL resolver
 * (graphql-ws connections authenticated on connect) and a socket.io gateway side by side; memberships
 * recorded through signed webhooks.
 */
function useOrgApp(platform: TestPlatform): Setup {
  const harness = useClerkTestApp({
    platform,
    fakeApi: false,
    clerk: { secretKey: undefined },
    controllers: [],
    providers: [OrgEntityResolver, OrgGateway],
    imports: [OrganizationsModule.forRoot(), graphqlModule({ authenticateOnConnect: true })],
  });
  const setup: Setup = { harness, url: '' };
  beforeAll(async () => {
    for (const membership of [buildClerkMembership({ organization: acme, user: member }), buildClerkMembership({ organization: globex, user: outsider })]) {
      await deliver(harness.app, harness.kit.signWebhook('organizationMembership.created', membership)).expect(200);
    }
    await harness.app.listen(0, '127.0.0.1');
    setup.url = await harness.app.getUrl();
  });
  return setup;
}

const tokenNaming = (kit: ClerkTestKit, org: typeof acme) => kit.mintSessionToken({ userId: member.id, org: { id: org.id, slug: org.slug as string, role: 'member' } });

describe.each(PLATFORMS)('@CurrentOrg({ entity: true }) with OrganizationsModule (%s)', (platform) => {
  const setup = useOrgApp(platform);

  describe('GraphQL resolvers', () => {
    const clients: Client[] = [];
    const query = '{ localOrg { clerkId slug } }';
    const overWs = async (token: string) => {
      const { client } = graphqlWsClient(setup.url, { authorization: `Bearer ${token}` });
      clients.push(client);
      return results(client, query);
    };

    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
    });

    it('over HTTP: the local org for a member whose token names it', async () => {
      expect(await graphqlHttp(setup.harness.app, query, tokenNaming(setup.harness.kit, acme))).toEqual({ data: { localOrg: acmeEntity } });
    });

    it('over HTTP: null when the token names an org the user is not a recorded member of, or no org', async () => {
      expect(await graphqlHttp(setup.harness.app, query, tokenNaming(setup.harness.kit, globex))).toEqual({ data: { localOrg: null } });
      expect(await graphqlHttp(setup.harness.app, query, setup.harness.kit.mintSessionToken({ userId: member.id }))).toEqual({ data: { localOrg: null } });
    });

    it('over graphql-ws (connectionParams token): the local org for a member, null for a non-member org', async () => {
      expect(await overWs(tokenNaming(setup.harness.kit, acme))).toEqual([{ data: { localOrg: acmeEntity } }]);
      expect(await overWs(tokenNaming(setup.harness.kit, globex))).toEqual([{ data: { localOrg: null } }]);
    });
  });

  describe('socket.io gateways', () => {
    const sockets: Socket[] = [];
    const join = async (token: string) => {
      const socket = openSocket(setup.url, 'org', { token });
      sockets.push(socket);
      await connected(socket);
      return socket;
    };

    afterEach(() => {
      for (const socket of sockets.splice(0)) socket.disconnect();
    });

    it('a message handler gets the local org after an authenticated handshake, on every message', async () => {
      const socket = await join(tokenNaming(setup.harness.kit, acme));
      expect(await send(socket, 'org')).toEqual({ ack: { organization: acmeEntity } });
      expect(await send(socket, 'org')).toEqual({ ack: { organization: acmeEntity } });
    });

    it('null when the handshake token names an org the user is not a recorded member of', async () => {
      const socket = await join(tokenNaming(setup.harness.kit, globex));
      expect(await send(socket, 'org')).toEqual({ ack: { organization: null } });
    });
  });
});
