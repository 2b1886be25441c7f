import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { ClerkUsersModule, clerkOptionsFromEnv, type ClerkUsersModuleOptions } from '../../lib/index.js';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { testDatabaseOptions } from '../support/database.js';
import { ExplicitlyGuardedController, ProbeController } from '../support/test.controllers.js';
import { createTestApp, type TestApp } from '../support/create-app.js';

describe('forRootAsync with ConfigService', () => {
  let kit: ClerkTestKit;
  let app: Awaited<ReturnType<typeof boot>>;

  async function boot(env: Record<string, string>) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env], isGlobal: true }),
        TypeOrmModule.forRoot(testDatabaseOptions()),
        ClerkUsersModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService): ClerkUsersModuleOptions =>
            clerkOptionsFromEnv({
              CLERK_JWT_KEY: config.get<string>('CLERK_JWT_KEY'),
              CLERK_SECRET_KEY: config.get<string>('CLERK_SECRET_KEY'),
              CLERK_API_URL: config.get<string>('CLERK_API_URL'),
              CLERK_FRONTEND_HOSTS: config.get<string>('CLERK_FRONTEND_HOSTS'),
            }),
          // No webhook signing secret here: mount no endpoint (a mounted one without a secret fails the boot).
          webhookPath: false,
        }),
      ],
      controllers: [ProbeController],
    }).compile();
    const nest = moduleRef.createNestApplication({ logger: false });
    await nest.init();
    return nest;
  }

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    const api = await kit.startFakeApi();
    api.addUser({ id: 'user_async000000000000000000001', email: 'async@example.com' });
    app = await boot({
      CLERK_JWT_KEY: kit.jwtKey.replace(/\n/g, '\\n'),
      CLERK_SECRET_KEY: kit.secretKey,
      CLERK_API_URL: api.url,
      CLERK_FRONTEND_HOSTS: `${kit.authorizedParty}, https://other.example`,
    });
  });
  afterAll(async () => {
    await app?.close();
    await kit?.close();
  });

  it('guards globally and provisions with options from configuration', async () => {
    const server = app.getHttpServer();
    await request(server).get('/me').expect(401);
    const body = (await request(server).get('/me').set('Authorization', `Bearer ${kit.mintSessionToken({ userId: 'user_async000000000000000000001' })}`).expect(200)).body;
    expect(body.email).toBe('async@example.com');
    await request(server).get('/me').set('Authorization', `Bearer ${kit.mintSessionToken({ userId: 'user_async000000000000000000001', azp: 'https://third.example' })}`).expect(401);
  });
});

describe('globalGuard: false', () => {
  let kit: ClerkTestKit;
  let harness: TestApp;

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    harness = await createTestApp({
      clerk: kit.moduleOptions({ secretKey: undefined, globalGuard: false }),
      controllers: [ExplicitlyGuardedController, ProbeController],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await kit?.close();
  });

  it('leaves unguarded routes open and @UseGuards(ClerkAuthGuard) protects a route', async () => {
    const server = harness.app.getHttpServer();
    expect((await request(server).get('/guarded/open').expect(200)).body).toEqual({ user: null });
    await request(server).get('/guarded').expect(401);
    const token = kit.mintSessionToken({ userId: 'user_explicit0000000000000000001' });
    expect((await request(server).get('/guarded').set('Authorization', `Bearer ${token}`).expect(200)).body).toEqual({ clerkId: 'user_explicit0000000000000000001' });
  });

  it('the `clerk` Passport strategy works with AuthGuard(\'clerk\') as well', async () => {
    const server = harness.app.getHttpServer();
    await request(server).get('/guarded/passport').expect(401);
    await request(server).get('/guarded/passport').set('Authorization', 'Bearer forged.token.value').expect(401);
    const token = kit.mintSessionToken({ userId: 'user_explicit0000000000000000001', sessionId: 'sess_passport' });
    expect((await request(server).get('/guarded/passport').set('Authorization', `Bearer ${token}`).expect(200)).body).toEqual({
      clerkId: 'user_explicit0000000000000000001',
      sessionId: 'sess_passport',
    });
  });

  it('authorization decorators still enforce their rule (they bring the guard along)', async () => {
    const server = harness.app.getHttpServer();
    await request(server).get('/require/admin').expect(401);
    const member = kit.mintSessionToken({ userId: 'user_explicit0000000000000000001', org: { id: 'org_1', role: 'member' } });
    await request(server).get('/require/admin').set('Authorization', `Bearer ${member}`).expect(403);
  });
});

describe('boot-time validation names the bad option', () => {
  let kit: ClerkTestKit;
  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });

  async function bootError(options: ClerkUsersModuleOptions): Promise<Error> {
    const compile = Test.createTestingModule({
      imports: [TypeOrmModule.forRoot({ ...testDatabaseOptions(), manualInitialization: true }), ClerkUsersModule.forRoot(options)],
    }).compile();
    const error = await compile.then(
      async (moduleRef) => {
        await moduleRef.close();
        return new Error('booted');
      },
      (e: unknown) => e as Error,
    );
    return error;
  }

  it.each<[string, () => ClerkUsersModuleOptions, RegExp]>([
    ['placeholder secret key', () => ({ secretKey: 'sk_test_mock_secret_key' }), /"secretKey".*placeholder/],
    ['non-Clerk secret key', () => ({ secretKey: 'not-a-key' }), /"secretKey"/],
    ['publishable key that does not decode', () => ({ jwtKey: kit.jwtKey, publishableKey: 'pk_test_bm9wZQ' }), /"publishableKey"/],
    ['jwtKey that is not a PEM', () => ({ jwtKey: 'abc' }), /"jwtKey".*PEM/],
    ['webhook secret without whsec_', () => ({ jwtKey: kit.jwtKey, webhookSigningSecret: 'secret' }), /"webhookSigningSecret"/],
    ['negative cache TTL', () => ({ jwtKey: kit.jwtKey, cacheTtlSeconds: -1 }), /"cacheTtlSeconds"/],
    ['fractional clock skew', () => ({ jwtKey: kit.jwtKey, clockSkewSeconds: 1.5 }), /"clockSkewSeconds"/],
    ['apiUrl that is not a URL', () => ({ jwtKey: kit.jwtKey, apiUrl: 'not a url' }), /"apiUrl"/],
    ['authorizedParties not a list', () => ({ jwtKey: kit.jwtKey, authorizedParties: 'http://a' as unknown as string[] }), /"authorizedParties"/],
    ['globalGuard not a boolean', () => ({ jwtKey: kit.jwtKey, globalGuard: 'yes' as unknown as boolean }), /"globalGuard"/],
    ['neither jwtKey nor secretKey', () => ({}), /"jwtKey" or "secretKey"/],
  ])('%s', async (_name, options, message) => {
    const error = await bootError(options());
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(kit.jwtKey.slice(30, 60));
  });

  it('a 4096-bit jwtKey is refused at boot (Clerk only reads 2048-bit keys)', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
    const error = await bootError({ jwtKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    expect(error.message).toMatch(/"jwtKey".*2048-bit/);
  });
});

describe('clerkOptionsFromEnv', () => {
  it('maps the django-clerk-users setting names, comma lists included', () => {
    expect(
      clerkOptionsFromEnv({
        CLERK_SECRET_KEY: 'sk_test_abcdef',
        CLERK_PUBLISHABLE_KEY: 'pk_test_x',
        CLERK_JWT_KEY: '-----BEGIN PUBLIC KEY-----\\nAAA\\n-----END PUBLIC KEY-----',
        CLERK_API_URL: 'http://127.0.0.1:9999',
        CLERK_FRONTEND_HOSTS: 'https://a.example, https://b.example,,',
        CLERK_WEBHOOK_SIGNING_KEY: 'whsec_abc',
        CLERK_SESSION_REVALIDATION_SECONDS: '60',
        CLERK_CACHE_TIMEOUT: '30',
        CLERK_ORG_CACHE_TIMEOUT: '90',
        CLERK_WEBHOOK_DEDUP_TIMEOUT: '259200',
      }),
    ).toEqual({
      secretKey: 'sk_test_abcdef',
      publishableKey: 'pk_test_x',
      jwtKey: '-----BEGIN PUBLIC KEY-----\nAAA\n-----END PUBLIC KEY-----',
      apiUrl: 'http://127.0.0.1:9999',
      authorizedParties: ['https://a.example', 'https://b.example'],
      webhookSigningSecret: 'whsec_abc',
      sessionRevalidationSeconds: 60,
      cacheTtlSeconds: 30,
      orgCacheTtlSeconds: 90,
      webhookEventRetentionHours: 72,
    });
  });

  it('CLERK_AUTH_PARTIES wins over CLERK_FRONTEND_HOSTS, even when empty', () => {
    expect(clerkOptionsFromEnv({ CLERK_AUTH_PARTIES: 'https://x.example', CLERK_FRONTEND_HOSTS: 'https://y.example' }).authorizedParties).toEqual(['https://x.example']);
    expect(clerkOptionsFromEnv({ CLERK_AUTH_PARTIES: '', CLERK_FRONTEND_HOSTS: 'https://y.example' }).authorizedParties).toEqual([]);
  });

  it('unset and blank values are left out', () => {
    expect(clerkOptionsFromEnv({ CLERK_SECRET_KEY: '  ' })).toEqual({});
  });

  it.each([
    ['CLERK_SECRET_KEY', 'sk_test_mock_secret_key'],
    ['CLERK_SECRET_KEY', 'abc123'],
    ['CLERK_WEBHOOK_SIGNING_KEY', 'whsec_replace_me'],
  ])('a placeholder %s is an error, not "auth off"', (name, value) => {
    expect(() => clerkOptionsFromEnv({ [name]: value })).toThrow(new RegExp(name));
  });

  it('a non-numeric number setting is an error naming it', () => {
    expect(() => clerkOptionsFromEnv({ CLERK_CACHE_TIMEOUT: 'five' })).toThrow(/CLERK_CACHE_TIMEOUT/);
  });
});
