import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated from the entities with TypeORM's schema builder (what `migration:generate` writes). */
export class SampleSchema1764100000000 implements MigrationInterface {
  name = 'SampleSchema1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"clerk_webhook_events\" (\"svix_id\" character varying(255) NOT NULL, \"type\" character varying(255) NOT NULL, \"received_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"processed_at\" TIMESTAMP WITH TIME ZONE, \"attempts\" integer NOT NULL DEFAULT '0', \"last_error\" text, CONSTRAINT \"PK_1e28cb17a22c2a7bd94fa685539\" PRIMARY KEY (\"svix_id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_930817d41ad0d295facc71f4e5\" ON \"clerk_webhook_events\"  (\"processed_at\") ");
    await queryRunner.query("CREATE TABLE \"clerk_organizations\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"clerkId\" character varying(255) NOT NULL, \"name\" character varying(255) NOT NULL DEFAULT '', \"slug\" character varying(255), \"imageUrl\" character varying(1000) NOT NULL DEFAULT '', \"publicMetadata\" jsonb NOT NULL DEFAULT '{}', \"privateMetadata\" jsonb NOT NULL DEFAULT '{}', \"isActive\" boolean NOT NULL DEFAULT true, \"membersCount\" integer NOT NULL DEFAULT '0', \"pendingInvitationsCount\" integer NOT NULL DEFAULT '0', \"maxAllowedMemberships\" integer, \"clerkUpdatedAt\" TIMESTAMP WITH TIME ZONE, \"clerkDeletedAt\" TIMESTAMP WITH TIME ZONE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_d7dcbefedbd327873e941b33be7\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_4eecb463e413f76841022e22e4\" ON \"clerk_organizations\"  (\"clerkId\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_134cb6980a078321abc6346bd3\" ON \"clerk_organizations\"  (\"slug\") ");
    await queryRunner.query("CREATE TABLE \"clerk_organization_memberships\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"clerkMembershipId\" character varying(255) NOT NULL, \"organizationId\" uuid NOT NULL, \"userId\" uuid NOT NULL, \"clerkOrganizationId\" character varying(255) NOT NULL, \"clerkUserId\" character varying(255) NOT NULL, \"role\" character varying(255) NOT NULL DEFAULT 'org:member', \"permissions\" jsonb NOT NULL DEFAULT '[]', \"publicMetadata\" jsonb NOT NULL DEFAULT '{}', \"privateMetadata\" jsonb NOT NULL DEFAULT '{}', \"joinedAt\" TIMESTAMP WITH TIME ZONE, \"clerkUpdatedAt\" TIMESTAMP WITH TIME ZONE, \"clerkDeletedAt\" TIMESTAMP WITH TIME ZONE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_21157406f4f52b7db417ad011ec\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_105f6a8f057d408b44ab9bf7f9\" ON \"clerk_organization_memberships\"  (\"clerkMembershipId\") ");
    await queryRunner.query("CREATE INDEX \"IDX_a55c059bcc2d2988b37f3ddb96\" ON \"clerk_organization_memberships\"  (\"organizationId\") ");
    await queryRunner.query("CREATE INDEX \"IDX_ecf865b102ea48bff309c11fb7\" ON \"clerk_organization_memberships\"  (\"userId\") ");
    await queryRunner.query("CREATE INDEX \"IDX_a9ff2992dbc8a90d0ba3ba4f09\" ON \"clerk_organization_memberships\"  (\"clerkUserId\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_3dd0eeba14aeadb8db3bcf3e1f\" ON \"clerk_organization_memberships\"  (\"organizationId\", \"userId\") WHERE \"clerkDeletedAt\" IS NULL");
    await queryRunner.query("CREATE TABLE \"clerk_organization_invitations\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"clerkInvitationId\" character varying(255) NOT NULL, \"organizationId\" uuid NOT NULL, \"emailAddress\" character varying(320) NOT NULL, \"role\" character varying(255) NOT NULL DEFAULT 'org:member', \"status\" character varying(20) NOT NULL DEFAULT 'pending', \"inviterUserId\" uuid, \"clerkUpdatedAt\" TIMESTAMP WITH TIME ZONE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_dc8553493412da489915b7f26ca\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_61fcf32de7d55cf933c7217e6a\" ON \"clerk_organization_invitations\"  (\"clerkInvitationId\") ");
    await queryRunner.query("CREATE INDEX \"IDX_5d7100d5b159d1d3c7fa72a995\" ON \"clerk_organization_invitations\"  (\"organizationId\") ");
    await queryRunner.query("CREATE TABLE \"app_users\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"clerkId\" character varying(255), \"email\" character varying(320), \"username\" character varying(150), \"firstName\" character varying(255) NOT NULL DEFAULT '', \"lastName\" character varying(255) NOT NULL DEFAULT '', \"imageUrl\" character varying(1000) NOT NULL DEFAULT '', \"isActive\" boolean NOT NULL DEFAULT true, \"isStaff\" boolean NOT NULL DEFAULT false, \"isSuperuser\" boolean NOT NULL DEFAULT false, \"publicMetadata\" jsonb NOT NULL DEFAULT '{}', \"passwordHash\" character varying(255), \"lastLogin\" TIMESTAMP WITH TIME ZONE, \"lastLogout\" TIMESTAMP WITH TIME ZONE, \"clerkUpdatedAt\" TIMESTAMP WITH TIME ZONE, \"clerkDeletedAt\" TIMESTAMP WITH TIME ZONE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"favoriteColor\" character varying(40) NOT NULL DEFAULT 'teal', CONSTRAINT \"PK_9b97e4fbff9c2f3918fda27f999\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_fb8c8f8067e20d37e200e29e98\" ON \"app_users\"  (\"clerkId\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_14241fb016a330600a7e0efae9\" ON \"app_users\"  (\"email\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_5d67cc2e38c80255e768c2b76a\" ON \"app_users\"  (\"username\") ");
    await queryRunner.query("CREATE INDEX \"IDX_f264fc1567fcc34c6b034f7d0e\" ON \"app_users\"  (\"isActive\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"IDX_f264fc1567fcc34c6b034f7d0e\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_5d67cc2e38c80255e768c2b76a\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_14241fb016a330600a7e0efae9\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_fb8c8f8067e20d37e200e29e98\"");
    await queryRunner.query("DROP TABLE \"app_users\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_5d7100d5b159d1d3c7fa72a995\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_61fcf32de7d55cf933c7217e6a\"");
    await queryRunner.query("DROP TABLE \"clerk_organization_invitations\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_3dd0eeba14aeadb8db3bcf3e1f\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_a9ff2992dbc8a90d0ba3ba4f09\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_ecf865b102ea48bff309c11fb7\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_a55c059bcc2d2988b37f3ddb96\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_105f6a8f057d408b44ab9bf7f9\"");
    await queryRunner.query("DROP TABLE \"clerk_organization_memberships\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_134cb6980a078321abc6346bd3\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_4eecb463e413f76841022e22e4\"");
    await queryRunner.query("DROP TABLE \"clerk_organizations\"");
    await queryRunner.query("DROP INDEX \"public\".\"IDX_930817d41ad0d295facc71f4e5\"");
    await queryRunner.query("DROP TABLE \"clerk_webhook_events\"");
  }
}
