import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The library's invitation columns for the accepting user (its migration 1764000000004), for the sample's own schema. */
export class InvitationAcceptedBy1764100000001 implements MigrationInterface {
  name = 'InvitationAcceptedBy1764100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clerk_organization_invitations" ADD "acceptedClerkUserId" character varying(255)`);
    await queryRunner.query(`ALTER TABLE "clerk_organization_invitations" ADD "acceptedUserId" uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clerk_organization_invitations" DROP COLUMN "acceptedUserId"`);
    await queryRunner.query(`ALTER TABLE "clerk_organization_invitations" DROP COLUMN "acceptedClerkUserId"`);
  }
}
