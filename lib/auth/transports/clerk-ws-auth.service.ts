import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import type { AbstractClerkUser } from '../../users/abstract-clerk-user.entity.js';
import { ClerkAuthenticator } from '../clerk-authenticator.service.js';
import { ClerkTokenRejectedError } from '../token-rejected.error.js';
import { authenticateTarget } from './authenticate-target.js';
import type { ClerkAuthState } from './clerk-auth-target.js';
import { graphqlWsHeaders, type ClerkGraphqlWsConnection } from './graphql.transport.js';
import { socketAuthTarget, type ClerkSocket } from './socket-io.transport.js';

const FAILED = Symbol('authentication failed');

/** socket.io's middleware signature (`server.use(...)`). */
export type ClerkSocketMiddleware = (socket: ClerkSocket, next: (error?: Error) => void) => void;

/**
 * Authentication when a WebSocket connects (guards only run on messages): socket.io handshakes
 * and graphql-ws `connection_init`. The result stays on the connection, so the guard does not
 * verify the token again for each message, until the token expires.
 */
@Injectable()
export class ClerkWsAuth {
  private readonly logger = new Logger('ClerkAuth');

  constructor(private readonly authenticator: ClerkAuthenticator) {}

  /**
   * Authenticates a socket.io handshake (`auth.token`, else the `Authorization` header) and keeps
   * `user`, `auth`, `org` on `client.data`. Without a valid token (or when authentication fails
   * for another reason) the client is disconnected and the result is `null`; it never throws.
   * For a gateway's `handleConnection`.
   */
  async authenticateConnection<T extends AbstractClerkUser = AbstractClerkUser>(client: ClerkSocket): Promise<T | null> {
    const user = await this.attempt(() => this.authenticateSocket(client));
    if (user === FAILED || !user) {
      client.disconnect(true);
      return null;
    }
    return user as T;
  }

  /**
   * socket.io middleware for `server.use()` (in a gateway's `afterInit`): a handshake without a
   * valid token never connects; the client gets `connect_error` with the message `Unauthorized`.
   */
  connectionMiddleware(): ClerkSocketMiddleware {
    return (socket, next) => {
      void this.attempt(() => this.authenticateSocket(socket)).then((user) => {
        if (user === FAILED) next(new Error('Internal server error'));
        else next(user ? undefined : new Error('Unauthorized'));
      });
    };
  }

  /**
   * For graphql-ws `onConnect`: `true` when `connectionParams` (`authorization: 'Bearer …'` or
   * `token`) carry a valid session token, whose result is kept on the connection for every
   * operation sent over it; `false` makes graphql-ws close the socket (4403 Forbidden).
   */
  async authenticateGraphqlConnection(connection: ClerkGraphqlWsConnection): Promise<boolean> {
    const source = graphqlWsHeaders(connection);
    const user = await this.attempt(() =>
      authenticateTarget(this.authenticator, { transport: 'graphql', state: connection as ClerkAuthState, source }),
    );
    // graphql-ws closes the socket with 4500 and this (generic) message.
    if (user === FAILED) throw new Error('Internal server error');
    return user !== null;
  }

  private authenticateSocket(client: ClerkSocket): Promise<AbstractClerkUser | null> {
    const target = socketAuthTarget(client);
    return target ? authenticateTarget(this.authenticator, target) : Promise.resolve(null);
  }

  /** A refusal is `null`; any other failure (the database went away) is logged and reported as `FAILED`, never thrown. */
  private async attempt(authenticate: () => Promise<AbstractClerkUser | null>): Promise<AbstractClerkUser | null | typeof FAILED> {
    try {
      return await authenticate();
    } catch (error) {
      if (error instanceof ClerkTokenRejectedError || error instanceof UnauthorizedException) return null;
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : 'non-error thrown during authentication');
      return FAILED;
    }
  }
}
