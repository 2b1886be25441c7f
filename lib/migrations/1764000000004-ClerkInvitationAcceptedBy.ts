import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Adds the accepting user to invitations: `acceptedClerkUserId` and the local `acceptedUserId` (no database FK, like memberships). */
export class ClerkInvitationAcceptedBy1764000000004 implements MigrationInterface {
  name = 'ClerkInvitationAcceptedBy1764000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clerk_organization_invitations" ADD "acceptedClerkUserId" character varying(255)`);
    await queryRunner.query(`ALTER TABLE "clerk_organization_invitations" ADD "acceptedUserId" uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clerk_organization_invitations" DROP COLUMN "acceptedUserId"`);
    await queryRunner.query(`ALTER TABLE "clerk_organization_invitations" DROP COLUMN "acceptedClerkUserId"`);
  }
}
