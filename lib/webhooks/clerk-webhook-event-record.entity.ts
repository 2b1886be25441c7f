import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per Svix message: written in the same transaction as the event's effects, so an event
 * counts as processed only when its effects committed. The primary key makes concurrent deliveries
 * of one message wait for each other instead of running twice.
 */
@Entity('clerk_webhook_events')
@Index('IDX_clerk_webhook_events_user', ['clerkUserId', 'receivedAt'])
export class ClerkWebhookEventRecord {
  @PrimaryColumn({ name: 'svix_id', type: 'varchar', length: 255 })
  svixId: string;

  @Column({ type: 'varchar', length: 255 })
  type: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Index()
  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /**
   * The Clerk user the event is about (`user.*`: `data.id`; `session.*`, `email.*`, `sms.*`:
   * `data.user_id`; `organizationMembership.*`: `data.public_user_data.user_id`), when it has Clerk's
   * user id shape; else `null`. Indexed with `receivedAt` for a user's latest events.
   */
  @Column({ name: 'clerk_user_id', type: 'varchar', length: 64, nullable: true })
  clerkUserId: string | null;
}
