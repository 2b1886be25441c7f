// After the README's per-subpath install lines: each optional entry point loads and does its job
// in the existing app. Prints one JSON line of results.
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder } from '@nestjs/swagger';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { CLERK_METRIC, CLERK_METRIC_ATTRIBUTE, ClerkUsersModule, ClerkUsersService, Public, clerkUsersMigrations } from 'nestjs-clerk-users';
import { ClerkUsersCommandsModule, ClerkUsersMigration, runClerkUsersCli } from 'nestjs-clerk-users/commands';
import { ClerkConsoleModule, clerkConsoleMigrations } from 'nestjs-clerk-users/console';
import { createClerkSwaggerDocument } from 'nestjs-clerk-users/swagger';
import { ClerkHealthIndicator } from 'nestjs-clerk-users/terminus';
import { ClerkTestKit } from 'nestjs-clerk-users/testing';

class HealthController {
  constructor(clerk) {
    this.clerk = clerk;
  }
  health() {
    return this.clerk.isHealthy('clerk');
  }
  notes() {
    return [];
  }
}
const proto = HealthController.prototype;
Reflect.decorate([Public(), Get('health')], proto, 'health', Object.getOwnPropertyDescriptor(proto, 'health'));
Reflect.decorate([Get('notes')], proto, 'notes', Object.getOwnPropertyDescriptor(proto, 'notes'));
Reflect.defineMetadata('design:paramtypes', [ClerkHealthIndicator], HealthController);
Controller()(HealthController);

// Metrics: the app installs an OpenTelemetry SDK (the package configures none) and reads the package's instruments.
class PullReader extends MetricReader {
  async onShutdown() {}
  async onForceFlush() {}
}
const reader = new PullReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

const kit = await ClerkTestKit.create();
await kit.startFakeApi();
class AppModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'postgres', url: process.env.TEST_DATABASE_URL, uuidExtension: 'pgcrypto', dropSchema: true, migrationsRun: true, migrations: [...clerkUsersMigrations, ...clerkConsoleMigrations], autoLoadEntities: true }),
    ClerkUsersModule.forRoot(kit.moduleOptions({ webhookPath: false })),
    TerminusModule,
    ClerkConsoleModule.forRoot(),
  ],
  controllers: [HealthController],
  providers: [ClerkHealthIndicator],
})(AppModule);
const app = await NestFactory.create(AppModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
const base = await app.getUrl();
const document = createClerkSwaggerDocument(app, new DocumentBuilder().setTitle('existing app').build());
// The staff console: anonymous 401, a signed-in non-superuser 403, a superuser lists users (JSON API and page).
const clerkUser = kit.fakeApi.addUser({ email: 'support@example.com' });
const bearer = () => ({ authorization: `Bearer ${kit.mintSessionToken({ userId: clerkUser.id })}` });
const consoleAnonymous = (await fetch(`${base}/clerk-console/api/users`)).status;
const consoleNonStaff = (await fetch(`${base}/clerk-console/api/users`, { headers: bearer() })).status;
await app.get(DataSource).query(`UPDATE clerk_users SET "isSuperuser" = true WHERE "clerkId" = $1`, [clerkUser.id]);
await app.get(ClerkUsersService).invalidate(clerkUser.id);
const listed = await fetch(`${base}/clerk-console/api/users?search=support`, { headers: bearer() });
const page = await fetch(`${base}/clerk-console`, { headers: bearer() });
const { resourceMetrics } = await reader.collect();
const collected = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
const verified = collected.find((metric) => metric.descriptor.name === CLERK_METRIC.tokensVerified);
const refused = collected.find((metric) => metric.descriptor.name === CLERK_METRIC.refusals);
const results = {
  metrics: {
    tokensVerified: verified?.dataPoints.reduce((sum, point) => sum + point.value, 0) ?? 0,
    refusals: refused?.dataPoints.map((point) => point.attributes[CLERK_METRIC_ATTRIBUTE.reason]) ?? [],
  },
  console: {
    anonymous: consoleAnonymous,
    nonStaff: consoleNonStaff,
    list: { status: listed.status, emails: (await listed.json()).items?.map((user) => user.email) },
    page: { status: page.status, type: page.headers.get('content-type'), html: (await page.text()).includes('<html') },
  },
  terminus: await (await fetch(`${base}/health`)).json(),
  swaggerNotesSecurity: document.paths['/notes']?.get?.security ?? null,
  swaggerHealthSecurity: document.paths['/health']?.get?.security ?? null,
  commands: typeof ClerkUsersCommandsModule === 'function' && typeof runClerkUsersCli === 'function' && typeof ClerkUsersMigration === 'function',
};
await app.close();
await kit.close();
process.stdout.write(JSON.stringify(results));
