// A consumer's own spec of a Clerk-protected Nest app, written once and run unchanged under
// Vitest, Jest (ESM mode) and `node --test`: globals describe/it/beforeAll/afterAll, node:assert.
// It imports only what an app installs: the package from its tarball, @nestjs/testing, @nestjs/config.
import assert from 'node:assert/strict';
import { Controller, Get } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClerkUsersModule, CurrentUser, Public, clerkUsersMigrations } from 'nestjs-clerk-users';
import { ClerkTestKit, buildClerkUser } from 'nestjs-clerk-users/testing';

// Plain JavaScript: decorators applied by hand, as TypeScript would.
class ProfileController {
  health() {
    return { ok: true };
  }
  me(user) {
    return { clerkId: user.clerkId, email: user.email };
  }
}
const proto = ProfileController.prototype;
Reflect.decorate([Public(), Get('health')], proto, 'health', Object.getOwnPropertyDescriptor(proto, 'health'));
Reflect.decorate([Get('me')], proto, 'me', Object.getOwnPropertyDescriptor(proto, 'me'));
CurrentUser()(proto, 'me', 0);
Controller()(ProfileController);

describe('a Clerk-protected app, tested with nestjs-clerk-users/testing', () => {
  let kit;
  let app;
  let base;

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    await kit.startFakeApi();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => kit.env()] }),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: process.env.TEST_DATABASE_URL,
          uuidExtension: 'pgcrypto',
          dropSchema: true,
          migrationsRun: true,
          migrations: clerkUsersMigrations,
          autoLoadEntities: true,
        }),
        ClerkUsersModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config) => ({
            secretKey: config.getOrThrow('CLERK_SECRET_KEY'),
            publishableKey: config.get('CLERK_PUBLISHABLE_KEY'),
            jwtKey: config.get('CLERK_JWT_KEY'),
            apiUrl: config.get('CLERK_API_URL'),
            authorizedParties: [config.getOrThrow('CLERK_AUTH_PARTIES')],
            webhookSigningSecret: config.get('CLERK_WEBHOOK_SIGNING_SECRET'),
          }),
        }),
      ],
      controllers: [ProfileController],
    }).compile();
    app = moduleRef.createNestApplication({ rawBody: true, logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await kit?.close();
  });

  it('serves public routes and refuses anonymous calls to guarded ones', async () => {
    assert.equal((await fetch(`${base}/health`)).status, 200);
    assert.equal((await fetch(`${base}/me`)).status, 401);
  });

  it('accepts a minted session token and provisions the user from the fake Backend API', async () => {
    const clerkUser = kit.fakeApi.addUser({ email: 'runner@example.com' });
    const response = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${kit.mintSessionToken({ userId: clerkUser.id })}` } });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.clerkId, clerkUser.id);
    assert.equal(body.email, 'runner@example.com');
  });

  it('applies a signed webhook, and refuses one with a forged signature', async () => {
    const clerkUser = buildClerkUser({ email: 'from-webhook@example.com' });
    const signed = kit.signWebhook('user.created', clerkUser);
    const forged = await fetch(`${base}/webhooks/clerk`, { method: 'POST', headers: { ...signed.headers, 'svix-signature': 'v1,AAAA' }, body: signed.body });
    assert.equal(forged.status, 401);
    const delivered = await fetch(`${base}/webhooks/clerk`, { method: 'POST', headers: signed.headers, body: signed.body });
    assert.equal(delivered.status, 200);
    // The row came from the webhook: the fake Backend API has never heard of this user.
    const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${kit.mintSessionToken({ userId: clerkUser.id })}` } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).email, 'from-webhook@example.com');
  });
});
