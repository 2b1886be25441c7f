import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates `clerk_users` for the default `ClerkUser` entity. */
export class CreateClerkUsers1764000000000 implements MigrationInterface {
  name = 'CreateClerkUsers1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "clerk_users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "clerkId" varchar(255),
        "email" varchar(320),
        "username" varchar(150),
        "firstName" varchar(255) NOT NULL DEFAULT '',
        "lastName" varchar(255) NOT NULL DEFAULT '',
        "imageUrl" varchar(1000) NOT NULL DEFAULT '',
        "isActive" boolean NOT NULL DEFAULT true,
        "isStaff" boolean NOT NULL DEFAULT false,
        "isSuperuser" boolean NOT NULL DEFAULT false,
        "publicMetadata" jsonb NOT NULL DEFAULT '{}',
        "lastLogin" timestamptz,
        "lastLogout" timestamptz,
        "clerkUpdatedAt" timestamptz,
        "createdAt" timestamptz NOT NULL DEFAULT now(),
        "updatedAt" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_clerk_users_id" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_clerk_users_email_lower" CHECK ("email" = lower("email"))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_clerk_users_clerkId" ON "clerk_users" ("clerkId")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_clerk_users_email" ON "clerk_users" ("email")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_clerk_users_username" ON "clerk_users" ("username")`);
    await queryRunner.query(`CREATE INDEX "IDX_clerk_users_isActive" ON "clerk_users" ("isActive")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "clerk_users"`);
  }
}
