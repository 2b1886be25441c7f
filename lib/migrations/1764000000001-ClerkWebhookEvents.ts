import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Adds the webhook idempotency table and the final-deletion marker of users. */
export class ClerkWebhookEvents1764000000001 implements MigrationInterface {
  name = 'ClerkWebhookEvents1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clerk_users" ADD "clerkDeletedAt" timestamptz`);
    await queryRunner.query(`
      CREATE TABLE "clerk_webhook_events" (
        "svix_id" varchar(255) NOT NULL,
        "type" varchar(255) NOT NULL,
        "received_at" timestamptz NOT NULL DEFAULT now(),
        "processed_at" timestamptz,
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        CONSTRAINT "PK_clerk_webhook_events" PRIMARY KEY ("svix_id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_930817d41ad0d295facc71f4e5" ON "clerk_webhook_events" ("processed_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "clerk_webhook_events"`);
    await queryRunner.query(`ALTER TABLE "clerk_users" DROP COLUMN "clerkDeletedAt"`);
  }
}
