// After the README's per-subpath install lines: each optional entry point loads and does its job
// in the existing app. Prints one JSON line of results.
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder } from '@nestjs/swagger';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClerkUsersModule, Public, clerkUsersMigrations } from 'nestjs-clerk-users';
import { ClerkUsersCommandsModule, runClerkUsersCli } from 'nestjs-clerk-users/commands';
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

const kit = await ClerkTestKit.create();
await kit.startFakeApi();
class AppModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'postgres', url: process.env.TEST_DATABASE_URL, uuidExtension: 'pgcrypto', dropSchema: true, migrationsRun: true, migrations: clerkUsersMigrations, autoLoadEntities: true }),
    ClerkUsersModule.forRoot(kit.moduleOptions({ webhookPath: false })),
    TerminusModule,
  ],
  controllers: [HealthController],
  providers: [ClerkHealthIndicator],
})(AppModule);
const app = await NestFactory.create(AppModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
const base = await app.getUrl();
const document = createClerkSwaggerDocument(app, new DocumentBuilder().setTitle('existing app').build());
const results = {
  terminus: await (await fetch(`${base}/health`)).json(),
  swaggerNotesSecurity: document.paths['/notes']?.get?.security ?? null,
  swaggerHealthSecurity: document.paths['/health']?.get?.security ?? null,
  commands: typeof ClerkUsersCommandsModule === 'function' && typeof runClerkUsersCli === 'function',
};
await app.close();
await kit.close();
process.stdout.write(JSON.stringify(results));
