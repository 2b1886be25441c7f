import { EventEmitter, on } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import { OnClerkEvent, type ClerkWebhookContext, type ClerkWebhookEvent } from 'nestjs-clerk-users';

/** One processed webhook event, as the page, the socket.io gateway and the GraphQL subscription show it. */
export interface RecentEvent {
  type: string;
  svixId: string;
  at: string;
}

/** A custom webhook handler: remembers the last events (after they committed) and passes each one on live. */
@Injectable()
export class RecentEvents {
  private readonly logger = new Logger('SampleWebhooks');
  private readonly recent: RecentEvent[] = [];
  private readonly live = new EventEmitter();

  @OnClerkEvent('*', { afterCommit: true })
  remember(event: ClerkWebhookEvent, { svixId }: ClerkWebhookContext): void {
    const seen: RecentEvent = { type: event.type, svixId, at: new Date().toISOString() };
    this.recent.unshift(seen);
    this.recent.length = Math.min(this.recent.length, 20);
    this.logger.log(`processed ${event.type} (${svixId})`);
    this.live.emit('event', seen);
  }

  list(): RecentEvent[] {
    return this.recent;
  }

  /** Calls `listener` for every new event; returns the unsubscribe function. */
  onEvent(listener: (event: RecentEvent) => void): () => void {
    this.live.on('event', listener);
    return () => this.live.off('event', listener);
  }

  /** Every new event as an async iterator (each value is `[event]`); its `return()` stops listening. */
  stream(): AsyncIterableIterator<[RecentEvent]> {
    return on(this.live, 'event') as AsyncIterableIterator<[RecentEvent]>;
  }
}
