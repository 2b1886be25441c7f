// A consumer's own spec of a Clerk-protected Nest app, written once and run unchanged under
// Vitest, Jest (ESM mode) and `node --test`: globals describe/it/beforeAll/afterAll, node:assert.
// It imports only what an app installs: the package from its tarball, @nestjs/testing, @nestjs/config.
import assert from 'node:assert/strict';
import { Controller, Get } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Auth, ClerkAccountsService, ClerkUsersModule, CurrentUser, Public, RequireFeature, clerkUsersMigrations } from 'nestjs-clerk-users';
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

// A paid feature gated by Clerk's `fea` claim; the handler asks the same `has()` the decorator used.
class ExportController {
  export(auth) {
    return { allowed: auth.has({ feature: 'export' }), plan: auth.has({ plan: 'pro' }) };
  }
}
const exportProto = ExportController.prototype;
Reflect.decorate([RequireFeature('export'), Get('export')], exportProto, 'export', Object.getOwnPropertyDescriptor(exportProto, 'export'));
Auth()(exportProto, 'export', 0);
Controller()(ExportController);

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
      controllers: [ProfileController, ExportController],
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

  it('gates a route on a Clerk billing feature: 403 without it, 200 with it, has() agreeing', async () => {
    const clerkUser = kit.fakeApi.addUser({ email: 'buyer@example.com' });
    const bearer = (claims) => ({ authorization: `Bearer ${kit.mintSessionToken({ userId: clerkUser.id, version: 2, claims })}` });
    assert.equal((await fetch(`${base}/export`)).status, 401);
    assert.equal((await fetch(`${base}/export`, { headers: bearer({ fea: 'u:reports' }) })).status, 403);
    const allowed = await fetch(`${base}/export`, { headers: bearer({ fea: 'u:export' }) });
    assert.equal(allowed.status, 200);
    // Field by field: under Jest the parsed body comes from another realm than the expected literal.
    const body = await allowed.json();
    assert.equal(body.allowed, true);
    assert.equal(body.plan, false);
  });

  it('acts on Clerk with ClerkAccountsService: the local row follows at once, a ban refuses the next request', async () => {
    const accounts = app.get(ClerkAccountsService);
    const { user, created } = await accounts.createUser({ email: 'onboarded@example.com', firstName: 'Ada' });
    assert.equal(created, true);
    assert.match(user.clerkId, /^user_/);
    assert.equal(kit.fakeApi.getUser(user.clerkId)?.first_name, 'Ada');
    const again = await accounts.createUser({ email: 'ONBOARDED@example.com' });
    assert.equal(again.created, false);
    assert.equal(again.user.clerkId, user.clerkId);
    const headers = { authorization: `Bearer ${kit.mintSessionToken({ userId: user.clerkId })}` };
    assert.equal((await fetch(`${base}/me`, { headers })).status, 200);
    await accounts.ban(user.clerkId);
    assert.equal((await fetch(`${base}/me`, { headers: { authorization: `Bearer ${kit.mintSessionToken({ userId: user.clerkId })}` } })).status, 401);
  });
});
