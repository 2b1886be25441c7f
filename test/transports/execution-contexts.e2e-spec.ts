import { beforeAll, describe, expect, it } from '@jest/globals';
import { UnauthorizedException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/internal';
import { ClerkAuthGuard, Public } from '../../lib/index.js';
import { resolveClerkAuthTarget } from '../../lib/auth/transports/clerk-auth-target.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

/** Handlers as a microservice or an unknown transport would call them. */
class OtherTransportHandlers {
  guarded(): void {}

  @Public()
  open(): void {}
}

describe.each(PLATFORMS)('execution contexts the guard cannot read are refused (on an app served by %s)', (platform) => {
  const harness = useClerkTestApp({ platform });
  let guard: ClerkAuthGuard;
  let bearer: string;

  const contextOf = (type: string, args: unknown[], handler: () => void) => {
    const context = new ExecutionContextHost(args, OtherTransportHandlers, handler);
    context.setType(type);
    return context;
  };

  beforeAll(() => {
    guard = harness.app.get(ClerkAuthGuard);
    const user = harness.api.addUser({ email: 'contexts@example.com' });
    bearer = `Bearer ${harness.kit.mintSessionToken({ userId: user.id })}`;
  });

  it.each([
    ['an rpc call, even one whose payload looks like a request with a valid token', 'rpc', () => [{ headers: { authorization: bearer } }, {}]],
    ['an unknown context type', 'kafka-ish', () => [{ headers: { authorization: bearer } }]],
    ['a GraphQL context without `req`', 'graphql', () => [{}, {}, { headers: { authorization: bearer } }, {}]],
    ['a WebSocket client that is not socket.io (no handshake)', 'ws', () => [{ readyState: 1, send() {}, headers: { authorization: bearer } }, {}]],
  ])('%s: 401 on a guarded handler, no target', async (_name, type, args) => {
    const context = contextOf(type, args(), OtherTransportHandlers.prototype.guarded);
    expect(resolveClerkAuthTarget(context)).toBeNull();
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('a @Public() handler declared it needs no user, on any transport', async () => {
    await expect(guard.canActivate(contextOf('rpc', [{}, {}], OtherTransportHandlers.prototype.open))).resolves.toBe(true);
  });
});
