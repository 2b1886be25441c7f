// A consumer app in plain CommonJS, using the installed tarball exactly as a user would: the package is an
// ES module, loaded here through require(esm) (Node >= 20.19).
const { Module, Controller, Get } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { TypeOrmModule } = require('@nestjs/typeorm');
const { ClerkUsersModule, CurrentUser, CurrentOrg, Public, clerkUsersMigrations } = require('nestjs-clerk-users');
const { ClerkTestKit } = require('nestjs-clerk-users/testing');

class ProbeController {
  health() { return { ok: true }; }
  me(user, org) { return { clerkId: user.clerkId, email: user.email, org }; }
}
const proto = ProbeController.prototype;
Reflect.decorate([Public(), Get('health')], proto, 'health', Object.getOwnPropertyDescriptor(proto, 'health'));
Reflect.decorate([Get('me')], proto, 'me', Object.getOwnPropertyDescriptor(proto, 'me'));
CurrentUser()(proto, 'me', 0);
CurrentOrg()(proto, 'me', 1);
Controller()(ProbeController);

async function main() {
  const kit = await ClerkTestKit.create();
  const api = await kit.startFakeApi();
  const user = api.addUser({ email: 'cjs@example.com' });
  class AppModule {}
  Module({
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url: process.env.TEST_DATABASE_URL, uuidExtension: 'pgcrypto', dropSchema: true, migrationsRun: true, migrations: clerkUsersMigrations, autoLoadEntities: true }),
      ClerkUsersModule.forRoot(kit.moduleOptions()),
    ],
    controllers: [ProbeController],
  })(AppModule);
  const app = await NestFactory.create(AppModule, { rawBody: true, logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const token = kit.mintSessionToken({ userId: user.id, org: { id: 'org_cjs', slug: 'cjs', role: 'admin' } });
  const results = {
    health: (await fetch(`${base}/health`)).status,
    anonymous: (await fetch(`${base}/me`)).status,
    me: await (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } })).json(),
  };
  await app.close();
  await kit.close();
  process.stdout.write(JSON.stringify(results));
}
main().catch((error) => { console.error(error); process.exit(1); });
