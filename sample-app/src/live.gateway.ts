import type { OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, SubscribeMessage, WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { ClerkWsAuth, CurrentOrg, CurrentUser, type ClerkOrgContext } from 'nestjs-clerk-users';
import type { AppUser } from './app-user.entity.js';
import { RecentEvents } from './recent-events.handler.js';

/**
 * socket.io namespace `/live`: a handshake needs a Clerk session token (`auth.token`), WebSockets
 * never read cookies. Answers `whoami` and pushes each processed webhook event as `webhook`.
 */
@WebSocketGateway({ namespace: 'live' })
export class LiveGateway implements OnGatewayInit, OnModuleDestroy {
  private stopListening?: () => void;

  constructor(
    private readonly clerkWs: ClerkWsAuth,
    private readonly events: RecentEvents,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use(this.clerkWs.connectionMiddleware()); // no valid token: connect_error "Unauthorized"
    this.stopListening = this.events.onEvent((event) => namespace.emit('webhook', event));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  @SubscribeMessage('whoami') // the global guard runs on every message; the handshake's result is reused
  whoami(@CurrentUser() user: AppUser, @CurrentOrg() org: ClerkOrgContext | null, @ConnectedSocket() client: Socket) {
    return { clerkId: user.clerkId, email: user.email, fullName: user.fullName, org: org?.slug ?? org?.id ?? null, socketId: client.id };
  }
}
