import { UseGuards } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  AbstractClerkOrganization,
  AbstractClerkUser,
  AllowMachine,
  ClerkAuthGuard,
  ClerkWsAuth,
  CurrentOrg,
  CurrentUser,
  Public,
  RequireOrgRole,
  type ClerkOrgContext,
} from '../../lib/index.js';

/** A connection needs a valid token: the handshake is refused (`connect_error`) otherwise. */
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway implements OnGatewayInit {
  constructor(private readonly clerkWs: ClerkWsAuth) {}

  afterInit(namespace: Namespace): void {
    namespace.use(this.clerkWs.connectionMiddleware());
  }

  @SubscribeMessage('whoami')
  whoami(@CurrentUser() user: AbstractClerkUser, @CurrentOrg() org: ClerkOrgContext | null, @ConnectedSocket() client: Socket) {
    return { clerkId: user.clerkId, email: user.email, org: org?.id ?? null, dataUser: (client.data as { user?: AbstractClerkUser }).user?.clerkId ?? null };
  }

  @RequireOrgRole('admin')
  @SubscribeMessage('admin')
  admin(@MessageBody() body: { text: string }, @CurrentUser('clerkId') clerkId: string) {
    return { clerkId, text: body.text };
  }
}

/** Anyone connects; the guard (explicitly on the class) authenticates messages from the handshake token. */
@UseGuards(ClerkAuthGuard)
@WebSocketGateway({ namespace: 'lobby' })
export class LobbyGateway {
  @SubscribeMessage('whoami')
  whoami(@CurrentUser('clerkId') clerkId: string) {
    return { clerkId };
  }

  @Public()
  @SubscribeMessage('hello')
  hello(@CurrentUser() user: AbstractClerkUser | undefined) {
    return { hello: user?.clerkId ?? 'anonymous' };
  }
}

/** No `@UseGuards`: only the module's global guard (APP_GUARD) stands in front of these messages. */
@WebSocketGateway({ namespace: 'plain' })
export class PlainGateway {
  @SubscribeMessage('whoami')
  whoami(@CurrentUser('clerkId') clerkId: string | undefined) {
    return { clerkId: clerkId ?? null };
  }
}

/** `handleConnection` variant: `authenticateConnection` disconnects a client without a valid token. */
@WebSocketGateway({ namespace: 'desk' })
export class DeskGateway implements OnGatewayConnection {
  constructor(private readonly clerkWs: ClerkWsAuth) {}

  async handleConnection(client: Socket): Promise<void> {
    const user = await this.clerkWs.authenticateConnection(client);
    if (user) client.emit('welcome', { clerkId: user.clerkId });
  }

  @SubscribeMessage('whoami')
  whoami(@CurrentUser('clerkId') clerkId: string) {
    return { clerkId };
  }
}

/** Machine callers (an API key in the handshake) may ask for `status`. */
@UseGuards(ClerkAuthGuard)
@WebSocketGateway({ namespace: 'machines' })
export class MachineGateway {
  @AllowMachine('api_key')
  @SubscribeMessage('status')
  status(@ConnectedSocket() client: Socket, @CurrentUser() user: AbstractClerkUser | null | undefined) {
    const auth = (client.data as { auth?: { tokenType?: string } }).auth;
    return { tokenType: auth?.tokenType ?? null, userIsNull: user === null };
  }
}

/** Handshake authenticated by the middleware; `@CurrentOrg({ entity: true })` needs `OrganizationsModule` in the app. */
@WebSocketGateway({ namespace: 'org' })
export class OrgGateway implements OnGatewayInit {
  constructor(private readonly clerkWs: ClerkWsAuth) {}

  afterInit(namespace: Namespace): void {
    namespace.use(this.clerkWs.connectionMiddleware());
  }

  @SubscribeMessage('org')
  org(@CurrentOrg({ entity: true }) organization: AbstractClerkOrganization | null) {
    return { organization: organization && { clerkId: organization.clerkId, slug: organization.slug } };
  }
}
