import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Adds `passwordHash` for staff accounts without a Clerk identity (`create-superuser`). */
export class ClerkUserPassword1764000000003 implements MigrationInterface {
  name = 'ClerkUserPassword1764000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clerk_users" ADD "passwordHash" character varying(255)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clerk_users" DROP COLUMN "passwordHash"`);
  }
}
