import { Injectable, Logger } from '@nestjs/common';
import { OnClerkEvent, type ClerkWebhookContext, type ClerkWebhookEvent } from 'nestjs-clerk-users';

/** A custom webhook handler: remembers the last events (after they committed) for the page to show. */
@Injectable()
export class RecentEvents {
  private readonly logger = new Logger('SampleWebhooks');
  private readonly recent: Array<{ type: string; svixId: string; at: string }> = [];

  @OnClerkEvent('*', { afterCommit: true })
  remember(event: ClerkWebhookEvent, { svixId }: ClerkWebhookContext): void {
    this.recent.unshift({ type: event.type, svixId, at: new Date().toISOString() });
    this.recent.length = Math.min(this.recent.length, 20);
    this.logger.log(`processed ${event.type} (${svixId})`);
  }

  list() {
    return this.recent;
  }
}
