import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates `clerk_users` for the default `ClerkUser` entity. Index names are TypeORM's own, so
 * `migration:generate` on an app using `ClerkUser` finds nothing to change.
 */
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
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c6ff2befd8d427c78c05ecedf4" ON "clerk_users" ("clerkId")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_61ab019946ade262e8172febe9" ON "clerk_users" ("email")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_8c3084a348229d5dbc416c156a" ON "clerk_users" ("username")`);
    await queryRunner.query(`CREATE INDEX "IDX_6c3464d3e0bc7a4134a143d7a6" ON "clerk_users" ("isActive")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "clerk_users"`);
  }
}
