import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { Column, DataSource, Entity, type DataSourceOptions } from 'typeorm';
import {
  AbstractClerkOrganization,
  ClerkOrganizationsSync,
  ClerkUsersConfigurationError,
  ClerkUsersModule,
  OrganizationsModule,
  OrganizationsService,
  type OrganizationsModuleOptions,
} from '../../lib/index.js';
import { buildClerkMembership, buildClerkOrganization, buildClerkUser, ClerkTestKit } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { testDatabaseOptions } from '../support/database.js';
import { deliver } from '../support/webhook-client.js';

/** An app's own organization table. */
@Entity('async_app_organizations')
class AppOrganization extends AbstractClerkOrganization {
  @Column({ type: 'varchar', length: 40, default: 'free' })
  plan: string;
}

/** Settings an app keeps in a provider of its own, for a plain `inject`. */
const ORG_SETTINGS = Symbol('ORG_SETTINGS');

@Module({ providers: [{ provide: ORG_SETTINGS, useValue: { organizationHeader: false } }], exports: [ORG_SETTINGS] })
class OrgSettingsModule {}

describe.each(PLATFORMS)('OrganizationsModule.forRootAsync (%s)', (platform) => {
  describe('options from ConfigService', () => {
    const harness = useClerkTestApp({
      platform,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ CLERK_ORGANIZATION_HEADER: 'on' })] }),
        OrganizationsModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService): OrganizationsModuleOptions => ({ allowOrganizationHeader: config.get('CLERK_ORGANIZATION_HEADER') === 'on' }),
        }),
      ],
    });

    it('the factory\'s allowOrganizationHeader is in force: X-Organization-Id picks an org the user is a member of', async () => {
      const corp = buildClerkOrganization({ name: 'Configured Corp' });
      const user = harness.api.addUser({ email: 'configured@example.com' });
      await deliver(harness.app, harness.kit.signWebhook('organizationMembership.created', buildClerkMembership({ organization: corp, user }))).expect(200);
      const token = harness.kit.mintSessionToken({ userId: user.id });
      const response = await harness.http().get('/org-entity').set({ Authorization: `Bearer ${token}`, 'X-Organization-Id': corp.id }).expect(200);
      expect(response.body).toEqual({ organization: { clerkId: corp.id, name: 'Configured Corp' } });
    });

    it('provides the organization sync (the core module does not)', async () => {
      const org = harness.api.addOrganization({ name: 'Synced Async Corp' });
      const summary = await harness.app.get(ClerkOrganizationsSync).run({ all: true });
      expect(summary.organizations).toMatchObject({ created: 1, failed: 0 });
      expect(await harness.dataSource.query(`SELECT name FROM clerk_organizations WHERE "clerkId" = $1`, [org.id])).toEqual([{ name: 'Synced Async Corp' }]);
    });
  });

  describe('a plain useFactory with inject, the organization entity beside it', () => {
    const harness = useClerkTestApp({
      platform,
      fakeApi: false,
      clerk: { secretKey: undefined },
      database: { synchronize: true, autoLoadEntities: true },
      imports: [
        OrganizationsModule.forRootAsync({
          imports: [OrgSettingsModule],
          inject: [ORG_SETTINGS],
          useFactory: (settings: { organizationHeader: boolean }) => ({ allowOrganizationHeader: settings.organizationHeader }),
          organizationEntity: AppOrganization,
        }),
      ],
    });

    it('webhooks write the app\'s entity, and the factory\'s "no header" holds', async () => {
      const corp = buildClerkOrganization({ name: 'Own Table Corp' });
      const user = buildClerkUser();
      await deliver(harness.app, harness.kit.signWebhook('organizationMembership.created', buildClerkMembership({ organization: corp, user }))).expect(200);
      expect(await harness.dataSource.query(`SELECT name, plan FROM async_app_organizations WHERE "clerkId" = $1`, [corp.id])).toEqual([{ name: 'Own Table Corp', plan: 'free' }]);
      expect(await harness.app.get(OrganizationsService).findByClerkId(corp.id)).toBeInstanceOf(AppOrganization);

      const token = harness.kit.mintSessionToken({ userId: user.id });
      const response = await harness.http().get('/org-entity').set({ Authorization: `Bearer ${token}`, 'X-Organization-Id': corp.id }).expect(200);
      expect(response.body).toEqual({ organization: null });
      const inOrg = harness.kit.mintSessionToken({ userId: user.id, org: { id: corp.id, role: 'member' } });
      expect((await harness.http().get('/org-entity').set('Authorization', `Bearer ${inOrg}`).expect(200)).body).toEqual({ organization: { clerkId: corp.id, name: 'Own Table Corp' } });
    });
  });
});

describe('OrganizationsModule.forRootAsync: a factory returning an extra is refused at boot, naming it', () => {
  let kit: ClerkTestKit;
  const owned: DataSource[] = [];

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });
  afterAll(async () => {
    await Promise.all(owned.filter((dataSource) => dataSource.isInitialized).map((dataSource) => dataSource.destroy()));
    await kit?.close();
  });

  /** The boot error of an app whose OrganizationsModule factory returns `options`; the DataSource is closed either way. */
  async function bootError(options: OrganizationsModuleOptions): Promise<unknown> {
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [
          TypeOrmModule.forRootAsync({
            useFactory: () => ({ ...testDatabaseOptions(), dropSchema: false, migrationsRun: false }) as TypeOrmModuleOptions,
            dataSourceFactory: async (dataSourceOptions?: DataSourceOptions) => {
              const dataSource = new DataSource(dataSourceOptions!);
              owned.push(dataSource);
              return dataSource.initialize();
            },
          }),
          ClerkUsersModule.forRoot({ ...kit.moduleOptions(), webhookPath: false }),
          OrganizationsModule.forRootAsync({ useFactory: async () => options }),
        ],
      }).compile();
      await moduleRef.close();
      return undefined;
    } catch (error) {
      return error;
    }
  }

  it.each([
    ['organizationEntity', { organizationEntity: AppOrganization }],
    ['membershipEntity', { membershipEntity: AppOrganization as never }],
    ['invitationEntity', { invitationEntity: AppOrganization as never }],
  ])('%s', async (extra, returned) => {
    const error = await bootError({ allowOrganizationHeader: true, ...returned });
    expect(error).toBeInstanceOf(ClerkUsersConfigurationError);
    expect((error as Error).message).toBe(`OrganizationsModule: option "${extra}" must be passed to forRootAsync() itself, beside useFactory, not returned by the factory`);
  });

  it('a malformed allowOrganizationHeader is named too; a well-formed factory boots', async () => {
    expect(((await bootError({ allowOrganizationHeader: 'yes' as never })) as Error).message).toBe('OrganizationsModule: option "allowOrganizationHeader" must be true or false');
    expect(await bootError({ allowOrganizationHeader: true })).toBeUndefined();
  });
});
