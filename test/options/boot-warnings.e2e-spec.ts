import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { ClerkUsersModule, clerkOptionsFromEnv, type ClerkUsersModuleOptions } from '../../lib/index.js';
import { CLERK_RESOLVED_OPTIONS } from '../../lib/clerk-users.constants.js';
import { ClerkWebhookProcessor } from '../../lib/webhooks/clerk-webhook-processor.service.js';
import { type ResolvedClerkUsersOptions } from '../../lib/options/clerk-users-options.interface.js';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { createTestApp, type TestApp } from '../support/create-app.js';
import { testDatabaseOptions } from '../support/database.js';
import { ProbeController } from '../support/test.controllers.js';

/** The app's logger, keeping every warning. */
class CapturingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
  naming(setting: string): string[] {
    return this.warnings.filter((w) => w.includes(setting));
  }
}

describe('boot warnings', () => {
  let kit: ClerkTestKit;
  const apps: Array<TestApp | INestApplication> = [];

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  afterAll(async () => {
    await kit?.close();
  });

  const boot = async (clerk: ClerkUsersModuleOptions) => {
    const logger = new CapturingLogger();
    const harness = await createTestApp({ clerk, logger, webhookPath: false });
    apps.push(harness);
    return { logger, harness, options: harness.app.get<ResolvedClerkUsersOptions>(CLERK_RESOLVED_OPTIONS) };
  };

  /** forRootAsync reading ConfigService, the way apps configured by environment do. */
  const bootFromConfig = async (env: Record<string, string | undefined>) => {
    const logger = new CapturingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ clerk: env })], isGlobal: true }),
        TypeOrmModule.forRoot(testDatabaseOptions()),
        ClerkUsersModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => clerkOptionsFromEnv(config.getOrThrow<Record<string, string | undefined>>('clerk')),
          webhookPath: false,
        }),
      ],
      controllers: [ProbeController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.init();
    apps.push(app);
    return { logger, app, options: app.get<ResolvedClerkUsersOptions>(CLERK_RESOLVED_OPTIONS) };
  };

  describe('idempotency retention floor (72 hours)', () => {
    it('webhookEventRetentionHours below 72: one warning naming it, and 72 hours in force', async () => {
      const { logger, options } = await boot(kit.moduleOptions({ webhookEventRetentionHours: 1 }));
      expect(logger.naming('webhookEventRetentionHours')).toHaveLength(1);
      expect(logger.naming('webhookEventRetentionHours')[0]).toMatch(/below 72 hours/);
      expect(options.webhookEventRetentionHours).toBe(72);
    });

    it('CLERK_WEBHOOK_DEDUP_TIMEOUT=45 (the seed\'s 45-second window) through ConfigService: one warning naming it, 72 hours in force', async () => {
      const { logger, options } = await bootFromConfig({ ...kit.env(), CLERK_WEBHOOK_DEDUP_TIMEOUT: '45' });
      expect(logger.naming('CLERK_WEBHOOK_DEDUP_TIMEOUT')).toHaveLength(1);
      expect(logger.warnings.filter((w) => /retention|72 hours/.test(w))).toHaveLength(1);
      expect(options.webhookEventRetentionHours).toBe(72);
    });

    it('72 hours or more: no warning, the value is kept', async () => {
      const { logger, options } = await boot(kit.moduleOptions({ webhookEventRetentionHours: 96 }));
      expect(logger.naming('webhookEventRetentionHours')).toEqual([]);
      expect(options.webhookEventRetentionHours).toBe(96);
    });

    it('prune() keeps a processed id for 72 hours whatever the configured retention', async () => {
      const { harness } = await boot(kit.moduleOptions({ webhookEventRetentionHours: 1 }));
      await harness.dataSource.query(`
        INSERT INTO clerk_webhook_events (svix_id, type, processed_at, attempts) VALUES
          ('msg_2h', 'user.updated', now() - interval '2 hours', 1),
          ('msg_73h', 'user.updated', now() - interval '73 hours', 1)`);
      await harness.app.get(ClerkWebhookProcessor).prune();
      expect(await harness.dataSource.query(`SELECT svix_id FROM clerk_webhook_events ORDER BY svix_id`)).toEqual([{ svix_id: 'msg_2h' }]);
    });
  });

  describe('authorizedParties and cookie tokens', () => {
    it('empty while session tokens are accepted (the __session cookie too): warned once, naming authorizedParties', async () => {
      const { logger } = await boot(kit.moduleOptions({ authorizedParties: [] }));
      expect(logger.naming('authorizedParties')).toHaveLength(1);
      expect(logger.naming('authorizedParties')[0]).toMatch(/cookie/);
    });

    it('empty on a machine-token-only API (no cookie tokens): no warning', async () => {
      const { logger } = await boot(kit.moduleOptions({ authorizedParties: [], acceptsToken: 'm2m_token' }));
      expect(logger.naming('authorizedParties')).toEqual([]);
    });

    it('set: no warning', async () => {
      const { logger } = await boot(kit.moduleOptions());
      expect(logger.warnings).toEqual([]);
    });

    it('no warning names a key or secret value', async () => {
      const { logger } = await boot(kit.moduleOptions({ authorizedParties: [], webhookEventRetentionHours: 0 }));
      expect(logger.warnings).toHaveLength(2);
      for (const secret of [kit.secretKey, kit.webhookSecret, kit.jwtKey.slice(40, 80)]) expect(logger.warnings.join('\n')).not.toContain(secret);
    });
  });

  it('forRootAsync with ConfigService: a one-line jwtKey with \\n escapes verifies tokens (no clerkOptionsFromEnv needed)', async () => {
    const api = await kit.startFakeApi();
    const user = api.addUser({ email: 'escaped@example.com' });
    const logger = new CapturingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ ...kit.env(), CLERK_JWT_KEY: kit.jwtKey.replace(/\n/g, '\\n') })], isGlobal: true }),
        TypeOrmModule.forRoot(testDatabaseOptions()),
        ClerkUsersModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService): ClerkUsersModuleOptions => ({
            jwtKey: config.getOrThrow<string>('CLERK_JWT_KEY'),
            secretKey: `${config.getOrThrow<string>('CLERK_SECRET_KEY')}\n`,
            apiUrl: config.getOrThrow<string>('CLERK_API_URL'),
            authorizedParties: [config.getOrThrow<string>('CLERK_AUTH_PARTIES')],
          }),
          webhookPath: false,
        }),
      ],
      controllers: [ProbeController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.init();
    apps.push(app);
    expect(app.get<ResolvedClerkUsersOptions>(CLERK_RESOLVED_OPTIONS).jwtKey).toBe(kit.jwtKey.trim());
    const body = (await request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${kit.mintSessionToken({ userId: user.id })}`).expect(200)).body;
    expect(body.email).toBe('escaped@example.com');
  });
});
