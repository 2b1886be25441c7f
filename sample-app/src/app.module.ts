import { Module, type DynamicModule } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClerkUsersModule, ClerkWebhookEventRecord, ClerkWsAuth, OrganizationsModule, clerkOrganizationEntities, type ClerkUsersModuleOptions } from 'nestjs-clerk-users';
import { ClerkHealthIndicator } from 'nestjs-clerk-users/terminus';
import { ClerkConsoleModule, clerkConsoleEntities } from 'nestjs-clerk-users/console';
import { SampleConsole1764100000002 } from './console-migration.js';
import { AdminController } from './admin.controller.js';
import { AppUser } from './app-user.entity.js';
import { HealthController } from './health.controller.js';
import { LiveGateway } from './live.gateway.js';
import { MachineController } from './machine.controller.js';
import { sampleMigrations } from './migrations/index.js';
import { ProfileController } from './profile.controller.js';
import { ProfileResolver } from './profile.resolver.js';
import { RecentEvents } from './recent-events.handler.js';
import { PAGE_SETTINGS, PageController, type PageSettings } from './page.controller.js';
import { CLERK_EMULATOR, EmulatorController } from './emulator/emulator.controller.js';
import type { ClerkEmulator } from './emulator/clerk-emulator.js';

export interface SampleModuleConfig {
  databaseUrl: string;
  embeddedDatabase: boolean;
  clerk: ClerkUsersModuleOptions;
  emulator: ClerkEmulator | null;
  publishableKey: string | null;
}

/** The TypeORM set-up shared by the server and the CLI: the sample's own entity and migrations. */
export function sampleTypeOrm(config: Pick<SampleModuleConfig, 'databaseUrl' | 'embeddedDatabase'>) {
  return TypeOrmModule.forRoot({
    type: 'postgres',
    url: config.databaseUrl,
    uuidExtension: 'pgcrypto',
    entities: [AppUser, ClerkWebhookEventRecord, ...clerkOrganizationEntities, ...clerkConsoleEntities],
    migrations: [...sampleMigrations, SampleConsole1764100000002],
    migrationsRun: true,
    // The embedded PostgreSQL is one session underneath: one connection keeps transactions apart.
    poolSize: config.embeddedDatabase ? 1 : 10,
  });
}

/**
 * GraphQL at /graphql (Apollo, code-first, schema built in memory; GraphiQL on GET outside production).
 * Over HTTP the guard reads the bearer token or the `__session` cookie; a graphql-ws connection must
 * carry a token in `connectionParams` (`authorization: 'Bearer …'`), else it is closed with 4403.
 */
function sampleGraphql() {
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [ClerkWsAuth],
    useFactory: (clerkWs: ClerkWsAuth): ApolloDriverConfig => ({
      autoSchemaFile: true,
      includeStacktraceInErrorResponses: false, // a refusal stays { message: 'Unauthorized', extensions: { code } }
      subscriptions: { 'graphql-ws': { onConnect: (context) => clerkWs.authenticateGraphqlConnection(context) } },
    }),
  });
}

@Module({})
export class SampleAppModule {
  static register(config: SampleModuleConfig): DynamicModule {
    const page: PageSettings = { emulator: Boolean(config.emulator), publishableKey: config.publishableKey };
    return {
      module: SampleAppModule,
      imports: [
        sampleTypeOrm(config),
        ClerkUsersModule.forRoot({
          ...config.clerk,
          userEntity: AppUser,
          sessions: true, // a verified __session cookie starts a server session (express-session, see main.ts)
          localAuth: { enabled: true }, // staff password login: POST /auth/local/login and /auth/local/logout
          // Real keys without CLERK_WEBHOOK_SIGNING_SECRET: no webhook endpoint (the module refuses to mount one without its secret).
          webhookPath: config.clerk.webhookSigningSecret ? undefined : false,
        }),
        OrganizationsModule.forRoot(),
        // The staff console at /clerk-console, for every staff member (the emulator's staff@example.com and Grace).
        ClerkConsoleModule.forRoot({ access: 'staff' }),
        TerminusModule,
        sampleGraphql(),
      ],
      controllers: [ProfileController, AdminController, MachineController, HealthController, PageController, ...(config.emulator ? [EmulatorController] : [])],
      providers: [
        RecentEvents,
        ProfileResolver, // GraphQL
        LiveGateway, // socket.io namespace /live
        ClerkHealthIndicator,
        { provide: PAGE_SETTINGS, useValue: page },
        ...(config.emulator ? [{ provide: CLERK_EMULATOR, useValue: config.emulator }] : []),
      ],
    };
  }
}
