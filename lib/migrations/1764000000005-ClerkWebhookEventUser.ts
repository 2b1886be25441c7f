import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds `clerk_webhook_events.clerk_user_id` (the Clerk user an event is about, or null) and its index
 * with `received_at`, for a user's latest events. Older rows keep null.
 */
export class ClerkWebhookEventUser1764000000005 implements MigrationInterface {
  name = 'ClerkWebhookEventUser1764000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clerk_webhook_events" ADD "clerk_user_id" character varying(64)`);
    await queryRunner.query(`CREATE INDEX "IDX_clerk_webhook_events_user" ON "clerk_webhook_events" ("clerk_user_id", "received_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_clerk_webhook_events_user"`);
    await queryRunner.query(`ALTER TABLE "clerk_webhook_events" DROP COLUMN "clerk_user_id"`);
  }
}
