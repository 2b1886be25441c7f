import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Post, type INestApplication, type LoggerService, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, Entity, PrimaryGeneratedColumn, type DataSourceOptions } from 'typeorm';
import {
  AbstractClerkUser,
  ClerkUser,
  ClerkUsersModule,
  ClerkWebhookEndpoint,
  OrganizationsModule,
  clerkUsersEntities,
  type ClerkUsersModuleOptions,
} from '../../lib/index.js';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { testDatabaseOptions } from '../support/database.js';
import { PLATFORMS, type TestPlatform } from '../support/create-app.js';

@Entity('misconfiguration_app_users')
class AppUser extends AbstractClerkUser {}

@Entity('misconfiguration_unrelated')
class Unrelated {
  @PrimaryGeneratedColumn()
  id: number;
}

/** An app endpoint verified with its own secret. */
@Controller('hooks')
class OwnWebhookController {
  @ClerkWebhookEndpoint({ secretEnv: 'MISCONFIGURATION_TEST_WEBHOOK_SECRET' })
  @Post('billing')
  billing() {
    return { ok: true };
  }
}

/** Keeps what the app logs, to assert the library's warnings. */
class RecordingLogger implements LoggerService {
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  log(): void {}
  error(message: unknown): void {
    this.errors.push(String(message));
  }
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

/** What an application boot came to: the error it failed with, and what it logged. */
interface BootOutcome {
  error?: Error;
  warnings: string[];
  errors: string[];
}

interface BootInput {
  imports: ModuleMetadata['imports'];
  controllers?: ModuleMetadata['controllers'];
  platform?: TestPlatform;
  /** The options of createNestApplication (`rawBody`, `bodyParser`); no HTTP application at all when absent. */
  http?: { rawBody?: boolean; bodyParser?: boolean };
}

/** A DataSource the test owns, so it is closed even when the boot fails half-way. */
function ownedDataSource(options: Partial<TypeOrmModuleOptions>, owned: DataSource[]) {
  return TypeOrmModule.forRootAsync({
    useFactory: () => ({ ...testDatabaseOptions(), dropSchema: false, migrationsRun: false, ...options }) as TypeOrmModuleOptions,
    dataSourceFactory: async (options?: DataSourceOptions) => {
      const dataSource = new DataSource(options!);
      owned.push(dataSource);
      return dataSource.initialize();
    },
  });
}

/** Compiles, creates and initialises an app; always closes whatever got opened. */
async function boot(input: BootInput): Promise<BootOutcome> {
  const logger = new RecordingLogger();
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({ imports: input.imports, controllers: input.controllers ?? [] }).compile();
    if (!input.http) {
      app = moduleRef as unknown as INestApplication;
      await moduleRef.init();
      return { warnings: logger.warnings, errors: logger.errors };
    }
    const options = { logger, ...input.http };
    app = input.platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), options) : moduleRef.createNestApplication(options);
    await app.init();
    return { warnings: logger.warnings, errors: logger.errors };
  } catch (error) {
    return { error: error as Error, warnings: logger.warnings, errors: logger.errors };
  } finally {
    await app?.close().catch(() => undefined);
  }
}

describe('misconfiguration is reported at boot in the library\'s words', () => {
  let kit: ClerkTestKit;
  const owned: DataSource[] = [];

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });
  afterAll(async () => {
    await Promise.all(owned.filter((dataSource) => dataSource.isInitialized).map((dataSource) => dataSource.destroy()));
  });

  const withoutWebhooks = (overrides: ClerkUsersModuleOptions = {}) => ClerkUsersModule.forRoot({ ...kit.moduleOptions(overrides), webhookPath: false });

  describe('TypeORM', () => {
    it('no TypeOrmModule.forRoot(): names the import to add, not "Nest can\'t resolve dependencies"', async () => {
      const { error } = await boot({ imports: [withoutWebhooks()] });
      expect(error?.message).toMatch(/^ClerkUsersModule: no TypeORM DataSource found: import TypeOrmModule\.forRoot\(\{ \.\.\. \}\) \(or forRootAsync\)/);
      expect(error?.message).not.toMatch(/can't resolve dependencies/);
    });

    it('no TypeOrmModule.forRoot(), with the webhook endpoint mounted (its processor needs the DataSource too)', async () => {
      const { error } = await boot({ imports: [ClerkUsersModule.forRoot(kit.moduleOptions())] });
      expect(error?.message).toMatch(/no TypeORM DataSource found: import TypeOrmModule\.forRoot/);
    });

    it('no TypeOrmModule.forRoot(), OrganizationsModule imported first: still the library\'s words', async () => {
      const { error } = await boot({ imports: [OrganizationsModule.forRoot(), withoutWebhooks()] });
      expect(error?.message).toMatch(/^ClerkUsersModule: no TypeORM DataSource found: import TypeOrmModule\.forRoot/);
      expect(error?.message).not.toMatch(/can't resolve dependencies/);
    });

    it('autoLoadEntities off and the entities missing: names them, clerkUsersEntities and autoLoadEntities', async () => {
      const { error } = await boot({ imports: [ownedDataSource({ entities: [Unrelated], autoLoadEntities: false }, owned), withoutWebhooks()] });
      expect(error?.message).toBe(
        'ClerkUsersModule: the TypeORM DataSource does not know the entities ClerkUser, ClerkWebhookEventRecord: add ClerkUser, ClerkWebhookEventRecord to its entities ' +
          '(e.g. entities: [...clerkUsersEntities, ...yours]) or set autoLoadEntities: true in TypeOrmModule.forRoot()',
      );
    });

    it('one entity missing is named alone', async () => {
      const { error } = await boot({ imports: [ownedDataSource({ entities: [ClerkUser], autoLoadEntities: false }, owned), withoutWebhooks()] });
      expect(error?.message).toMatch(/does not know the entity ClerkWebhookEventRecord: add ClerkWebhookEventRecord to its entities/);
    });

    it('a custom userEntity missing is named (no default list to suggest)', async () => {
      const { error } = await boot({
        imports: [ownedDataSource({ entities: [...clerkUsersEntities], autoLoadEntities: false }, owned), ClerkUsersModule.forRoot({ ...kit.moduleOptions(), userEntity: AppUser, webhookPath: false })],
      });
      expect(error?.message).toMatch(/does not know the entity AppUser: add AppUser to its entities or set autoLoadEntities: true/);
    });

    it('OrganizationsModule without its entities in the DataSource: names them and clerkOrganizationEntities', async () => {
      const { error } = await boot({
        imports: [ownedDataSource({ entities: [...clerkUsersEntities], autoLoadEntities: false }, owned), withoutWebhooks(), OrganizationsModule.forRoot()],
      });
      expect(error?.message).toMatch(
        /does not know the entities ClerkOrganization, ClerkOrganizationMembership, ClerkOrganizationInvitation: .*\.\.\.clerkOrganizationEntities.* or set autoLoadEntities: true/,
      );
    });

    it('autoLoadEntities, or the entities listed, boot', async () => {
      expect((await boot({ imports: [ownedDataSource({ autoLoadEntities: true }, owned), withoutWebhooks(), OrganizationsModule.forRoot()] })).error).toBeUndefined();
      expect((await boot({ imports: [ownedDataSource({ entities: [...clerkUsersEntities], autoLoadEntities: false }, owned), withoutWebhooks()] })).error).toBeUndefined();
    });
  });

  describe('webhook signing secret', () => {
    it('the endpoint mounted without a secret fails the boot, naming the option, its variable and webhookPath: false', async () => {
      const { error } = await boot({
        imports: [ownedDataSource({ autoLoadEntities: true }, owned), ClerkUsersModule.forRoot(kit.moduleOptions({ webhookSigningSecret: undefined }))],
        http: { rawBody: true },
      });
      expect(error?.message).toMatch(/^ClerkUsersModule: option "webhookSigningSecret" is not set, but the Clerk webhook endpoint \(POST \/webhooks\/clerk\) is mounted/);
      expect(error?.message).toMatch(/CLERK_WEBHOOK_SIGNING_SECRET/);
      expect(error?.message).toMatch(/webhookPath: false/);
    });

    it('names a moved endpoint by its path', async () => {
      const { error } = await boot({
        imports: [ownedDataSource({ autoLoadEntities: true }, owned), ClerkUsersModule.forRoot({ ...kit.moduleOptions({ webhookSigningSecret: undefined }), webhookPath: 'integrations/clerk' })],
        http: { rawBody: true },
      });
      expect(error?.message).toMatch(/\(POST \/integrations\/clerk\) is mounted/);
    });

    it('webhookPath: false, or no HTTP server at all (a CLI), boots without a secret', async () => {
      const noSecret = kit.moduleOptions({ webhookSigningSecret: undefined });
      expect((await boot({ imports: [ownedDataSource({ autoLoadEntities: true }, owned), ClerkUsersModule.forRoot({ ...noSecret, webhookPath: false })], http: {} })).error).toBeUndefined();
      expect((await boot({ imports: [ownedDataSource({ autoLoadEntities: true }, owned), ClerkUsersModule.forRoot(noSecret)] })).error).toBeUndefined();
    });
  });

  describe.each(PLATFORMS)('raw request bytes (%s)', (platform) => {
    const imports = (options: ClerkUsersModuleOptions & { webhookPath?: string | false } = kit.moduleOptions()) => [ownedDataSource({ autoLoadEntities: true }, owned), ClerkUsersModule.forRoot(options)];

    it('the endpoint mounted in an app created without rawBody: an error in the boot log naming { rawBody: true }', async () => {
      const outcome = await boot({ imports: imports(), http: {}, platform });
      expect(outcome.error).toBeUndefined();
      expect(outcome.errors).toEqual([
        'the Clerk webhook endpoint (POST /webhooks/clerk) verifies signatures over the raw request bytes, but the app does not keep them: every delivery will answer 500 until you ' +
          'create the app with NestFactory.create(AppModule, { rawBody: true }) (Express or Fastify), or moduleRef.createNestApplication({ rawBody: true }) in tests',
      ]);
      expect((await boot({ imports: imports(), http: { rawBody: false }, platform })).errors).toEqual([expect.stringMatching(/\{ rawBody: true \}/)]);
    });

    it('{ rawBody: true } boots quietly', async () => {
      const outcome = await boot({ imports: imports(), http: { rawBody: true }, platform });
      expect(outcome.error).toBeUndefined();
      expect([...outcome.warnings, ...outcome.errors]).toEqual([]);
    });

    it('an app @ClerkWebhookEndpoint() route needs the raw bytes too, even with webhookPath: false', async () => {
      process.env.MISCONFIGURATION_TEST_WEBHOOK_SECRET = kit.webhookSecret;
      try {
        const { errors } = await boot({ imports: imports({ ...kit.moduleOptions(), webhookPath: false }), controllers: [OwnWebhookController], http: {}, platform });
        expect(errors).toEqual([expect.stringMatching(/^the webhook endpoint OwnWebhookController\.billing verifies signatures over the raw request bytes.*\{ rawBody: true \}/)]);
      } finally {
        delete process.env.MISCONFIGURATION_TEST_WEBHOOK_SECRET;
      }
    });

    it('an app endpoint whose secret variable is unset is a boot warning (it is read per request)', async () => {
      const outcome = await boot({ imports: imports({ ...kit.moduleOptions(), webhookPath: false }), controllers: [OwnWebhookController], http: { rawBody: true }, platform });
      expect(outcome.error).toBeUndefined();
      expect(outcome.warnings).toEqual([expect.stringMatching(/OwnWebhookController\.billing: its signing secret \(MISCONFIGURATION_TEST_WEBHOOK_SECRET\) is not set/)]);
    });

    it('bodyParser: false (the app parses bodies itself): a boot warning, since only the app knows whether rawBody is kept', async () => {
      const outcome = await boot({ imports: imports(), http: { bodyParser: false }, platform });
      expect(outcome.error).toBeUndefined();
      expect(outcome.warnings).toEqual([expect.stringMatching(/the Clerk webhook endpoint \(POST \/webhooks\/clerk\) reads request\.rawBody.*bodyParser: false.*\{ rawBody: true \}/)]);
    });

    it('webhookPath: false and no app endpoint: nothing to check', async () => {
      const outcome = await boot({ imports: imports({ ...kit.moduleOptions(), webhookPath: false }), http: {}, platform });
      expect(outcome.error).toBeUndefined();
      expect([...outcome.warnings, ...outcome.errors]).toEqual([]);
    });
  });
});
