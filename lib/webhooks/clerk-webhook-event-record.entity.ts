import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per Svix message: written in the same transaction as the event's effects, so an event
 * counts as processed only when its effects committed. The primary key makes concurrent deliveries
 * of one message wait for each other instead of running twice.
 */
@Entity('clerk_webhook_events')
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
}
