import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, Entity } from 'typeorm';
import { AbstractClerkUser, ClerkUsersModule, OrganizationsModule, OrganizationsService } from '../../lib/index.js';
import { createSchema, LegacyNamingStrategy } from '../support/legacy-naming.js';
import { buildClerkOrganization, ClerkTestKit } from '../../lib/testing/index.js';

// `recount` derives an organization's counts with hand-written subqueries: they must name the
// membership and invitation tables and columns as the app's DataSource does.

const SCHEMA = 'clerk_org_named';

/** The app's user table (the library's `ClerkUser` has a CHECK naming `"email"` literally). */
@Entity('accounts')
class Account extends AbstractClerkUser {}

describe('organization counts under a custom naming strategy and a non-default schema', () => {
  let kit: ClerkTestKit;
  let app: INestApplication;
  let dataSource: DataSource;

  beforeAll(async () => {
    await createSchema(SCHEMA);
    kit = await ClerkTestKit.create();
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: process.env.TEST_DATABASE_URL,
          uuidExtension: 'pgcrypto',
          schema: SCHEMA,
          namingStrategy: new LegacyNamingStrategy(['clerkDeletedAt']), // the membership entity's partial unique index names it literally
          dropSchema: true,
          synchronize: true,
          autoLoadEntities: true,
          retryAttempts: 0,
          poolSize: process.env.TEST_DATABASE_EMBEDDED ? 1 : 5,
        }),
        ClerkUsersModule.forRoot({ ...kit.moduleOptions(), userEntity: Account }),
        OrganizationsModule.forRoot(),
      ],
    }).compile();
    // Naming is the database's business, the same on every HTTP platform: Express only.
    app = moduleRef.createNestApplication({ logger: process.env.TEST_LOG ? ['error', 'warn', 'log', 'debug'] : false });
    await app.init();
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
    await kit?.close();
  });

  it('an invitation upsert recounts live members and pending invitations from the named tables', async () => {
    const organizations = app.get(OrganizationsService);
    const json = buildClerkOrganization({ name: 'Named Corp' });
    const { organization } = await organizations.upsertFromClerkOrganization(json);
    const users = dataSource.getRepository(Account);
    const [alice, bob] = await users.save([users.create({ clerkId: 'user_named_alice' }), users.create({ clerkId: 'user_named_bob' })]);
    const row = (clerkMembershipId: string, userId: string, clerkUserId: string, clerkDeletedAt: Date | null) =>
      organizations.memberships.create({ clerkMembershipId, organizationId: organization.id, userId, clerkOrganizationId: json.id, clerkUserId, clerkDeletedAt });
    await organizations.memberships.save([row('orgmem_named_live', alice.id, alice.clerkId!, null), row('orgmem_named_gone', bob.id, bob.clerkId!, new Date())]);

    await organizations.upsertInvitationFromClerk({ id: 'orginv_named_1', email_address: 'invitee@example.com', organization_id: json.id, status: 'pending' });
    await organizations.upsertInvitationFromClerk({ id: 'orginv_named_2', email_address: 'late@example.com', organization_id: json.id, status: 'pending' }, 'revoked');

    const counts = await dataSource.query(`SELECT c_members_count AS members, c_pending_invitations_count AS pending FROM ${SCHEMA}.app_clerk_organizations WHERE c_clerk_id = $1`, [json.id]);
    expect(counts).toEqual([{ members: 1, pending: 1 }]);
  });
});
