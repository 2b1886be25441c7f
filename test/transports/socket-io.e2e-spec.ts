import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import { ClerkTokenVerifier } from '../../lib/auth/clerk-token-verifier.service.js';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestApp } from '../support/create-app.js';
import { connected, next, openSocket, send, type SocketOptions } from './socket-io-client.js';
import { ChatGateway, DeskGateway, LobbyGateway, MachineGateway, PlainGateway } from './socket-io.fixtures.js';

const member = 'user_wsmember0000000000000000001';
const org = { id: 'org_ws000000000000000000000001', slug: 'acme' };
const unauthorized = { status: 'error', message: 'Unauthorized' };
const forbidden = { status: 'error', message: 'Forbidden' };

describe.each(PLATFORMS)('socket.io gateways (%s)', (platform) => {
  // No clock skew, so a short-lived token expires when its `exp` says.
  const harness = useClerkTestApp({
    platform,
    clerk: { clockSkewSeconds: 0 },
    controllers: [],
    providers: [ChatGateway, LobbyGateway, PlainGateway, DeskGateway],
  });
  /** Another key pair: its tokens are well-formed but forged. */
  let forger: ClerkTestKit;
  let url: string;
  const sockets: Socket[] = [];
  const token = (input: Partial<Parameters<ClerkTestKit['mintSessionToken']>[0]> = {}) => harness.kit.mintSessionToken({ userId: member, ...input });
  const open = (namespace: string, options?: SocketOptions) => {
    const socket = openSocket(url, namespace, options);
    sockets.push(socket);
    return socket;
  };
  const join = async (namespace: string, options?: SocketOptions) => {
    const socket = open(namespace, options);
    await connected(socket);
    return socket;
  };

  beforeAll(async () => {
    forger = await ClerkTestKit.create();
    harness.api.addUser({ id: member, email: 'ws-member@example.com' });
    await harness.app.listen(0, '127.0.0.1');
    url = await harness.app.getUrl();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  describe('a gateway that authenticates the handshake (ClerkWsAuth.connectionMiddleware)', () => {
    it('accepts auth.token; @CurrentUser() and @CurrentOrg() work in a message handler; the state is on client.data', async () => {
      const socket = await join('chat', { token: token({ org: { ...org, role: 'admin' } }) });
      expect(await send(socket, 'whoami')).toEqual({ ack: { clerkId: member, email: 'ws-member@example.com', org: org.id, dataUser: member } });
    });

    it('accepts the handshake Authorization header', async () => {
      const socket = await join('chat', { headers: { Authorization: `Bearer ${token()}` } });
      expect((await send(socket, 'whoami')).ack).toMatchObject({ clerkId: member, org: null });
    });

    it.each([
      ['no token', {}],
      ['a forged token', { token: 'forged' }],
      ['an expired token', { token: 'expired' }],
      ['a token that is not a string', { token: { nested: 'value' } }],
      ['a cookie only (never read on sockets)', { cookie: true }],
    ])('refuses the connection with %s: connect_error "Unauthorized"', async (_name, input: { token?: unknown; cookie?: boolean }) => {
      const options: SocketOptions =
        input.token === 'forged' ? { token: forger.mintSessionToken({ userId: member }) }
        : input.token === 'expired' ? { token: token({ expiresInSeconds: -60 }) }
        : input.cookie ? { headers: { Cookie: `__session=${token()}` } }
        : input;
      await expect(connected(open('chat', options))).rejects.toMatchObject({ message: 'Unauthorized' });
    });

    it('a failure other than a refusal (the table went away) is connect_error "Internal server error", and the server keeps serving', async () => {
      const newcomer = harness.api.addUser({ email: `ws-newcomer-${platform}@example.com` });
      await harness.dataSource.query('ALTER TABLE clerk_users RENAME TO clerk_users_away');
      try {
        await expect(connected(open('chat', { token: harness.kit.mintSessionToken({ userId: newcomer.id }) }))).rejects.toMatchObject({ message: 'Internal server error' });
        const desk = open('desk', { token: harness.kit.mintSessionToken({ userId: newcomer.id }) });
        expect(await next(desk, 'disconnect')).toBe('io server disconnect');
      } finally {
        await harness.dataSource.query('ALTER TABLE clerk_users_away RENAME TO clerk_users');
      }
      expect((await send(await join('chat', { token: harness.kit.mintSessionToken({ userId: newcomer.id }) }), 'whoami')).ack).toMatchObject({ clerkId: newcomer.id });
    });

    it('@RequireOrgRole on a message: WsException "Forbidden" for a member, the answer for an admin', async () => {
      const asMember = await join('chat', { token: token({ org: { ...org, role: 'member' } }) });
      expect((await send(asMember, 'admin', { text: 'hi' })).exception).toMatchObject(forbidden);
      const asAdmin = await join('chat', { token: token({ org: { ...org, role: 'admin' } }) });
      expect(await send(asAdmin, 'admin', { text: 'hi' })).toEqual({ ack: { clerkId: member, text: 'hi' } });
    });

    it('messages after the handshake verify nothing again and query nothing', async () => {
      const socket = await join('chat', { token: token() });
      // Observed, not replaced: the spy calls the real verifier.
      const verify = jest.spyOn(harness.app.get(ClerkTokenVerifier), 'verify');
      try {
        harness.queries.reset();
        for (let i = 0; i < 3; i++) expect((await send(socket, 'whoami')).ack).toMatchObject({ clerkId: member });
        expect(verify).not.toHaveBeenCalled();
        expect(harness.queries.count).toBe(0);
      } finally {
        verify.mockRestore();
      }
    });
  });

  describe('a gateway guarded by @UseGuards(ClerkAuthGuard), open to anyone on connect', () => {
    it('an anonymous connection gets WsException "Unauthorized" on a guarded message and an answer on a @Public() one', async () => {
      const socket = await join('lobby');
      expect((await send(socket, 'whoami')).exception).toMatchObject(unauthorized);
      expect(await send(socket, 'hello')).toEqual({ ack: { hello: 'anonymous' } });
    });

    it('the handshake token authenticates the messages; a forged one is refused', async () => {
      const socket = await join('lobby', { token: token() });
      expect(await send(socket, 'whoami')).toEqual({ ack: { clerkId: member } });
      expect(await send(socket, 'hello')).toEqual({ ack: { hello: member } });
      const forged = await join('lobby', { token: forger.mintSessionToken({ userId: member }) });
      expect((await send(forged, 'whoami')).exception).toMatchObject(unauthorized);
    });

    it('a connection stops working once its token has expired', async () => {
      const short = token({ expiresInSeconds: 2 });
      const expiresAt = JSON.parse(Buffer.from(short.split('.')[1], 'base64url').toString()).exp * 1000;
      const socket = await join('lobby', { token: short });
      expect(await send(socket, 'whoami')).toEqual({ ack: { clerkId: member } });
      await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50));
      expect((await send(socket, 'whoami')).exception).toMatchObject(unauthorized);
      expect(await send(socket, 'hello')).toEqual({ ack: { hello: 'anonymous' } });
    });
  });

  describe('a machine caller on a long-lived connection', () => {
    let machineApp: TestApp;
    let machineUrl: string;

    beforeAll(async () => {
      // Verifications are trusted for 1 s, so the renewal is due quickly.
      machineApp = await harness.startApp({
        clerk: { acceptsToken: ['session_token', 'api_key'], cacheTtlSeconds: 1 },
        platform,
        controllers: [],
        providers: [MachineGateway],
      });
      await machineApp.app.listen(0, '127.0.0.1');
      machineUrl = await machineApp.app.getUrl();
    });
    afterAll(async () => {
      await machineApp?.close();
    });

    it('an API key (no expiry) is verified again once its cached verification is due, so a revoked key stops working on an open socket', async () => {
      const key = harness.api.issueMachineToken({ type: 'api_key', expiresInSeconds: null });
      const socket = openSocket(machineUrl, 'machines', { token: key });
      sockets.push(socket);
      await connected(socket);
      expect(await send(socket, 'status')).toEqual({ ack: { tokenType: 'api_key', userIsNull: true } });
      const verifications = () => harness.api.requests.filter((request) => request.path === '/api_keys/verify').length;
      expect(verifications()).toBe(1);
      harness.api.revokeMachineToken(key);
      // While the verification is trusted, messages verify nothing again.
      expect(await send(socket, 'status')).toEqual({ ack: { tokenType: 'api_key', userIsNull: true } });
      expect(verifications()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await send(socket, 'status')).exception).toMatchObject(unauthorized);
      expect(verifications()).toBe(2);
    });
  });

  describe('the global guard (APP_GUARD) also stands in front of gateways', () => {
    it('a message of a gateway without @UseGuards is refused without a token and answered with one', async () => {
      expect((await send(await join('plain'), 'whoami')).exception).toMatchObject(unauthorized);
      expect(await send(await join('plain', { token: token() }), 'whoami')).toEqual({ ack: { clerkId: member } });
    });
  });

  describe('handleConnection with ClerkWsAuth.authenticateConnection', () => {
    it('welcomes an authenticated client', async () => {
      const socket = open('desk', { token: token() });
      expect(await next(socket, 'welcome')).toEqual({ clerkId: member });
      expect(await send(socket, 'whoami')).toEqual({ ack: { clerkId: member } });
    });

    it('disconnects a client without a valid token', async () => {
      const socket = open('desk', { token: forger.mintSessionToken({ userId: member }) });
      expect(await next(socket, 'disconnect')).toBe('io server disconnect');
    });
  });
});
