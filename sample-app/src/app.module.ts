import { Module, type DynamicModule } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClerkUsersModule, ClerkWebhookEventRecord, ClerkWsAuth, OrganizationsModule, clerkOrganizationEntities, type ClerkUsersModuleOptions } from 'nestjs-clerk-users';
import { ClerkHealthIndicator } from 'nestjs-clerk-users/terminus';
import { AdminController } from './admin.controller';
import { AppUser } from './app-user.entity';
import { HealthController } from './health.controller';
import { LiveGateway } from './live.gateway';
import { MachineController } from './machine.controller';
import { sampleMigrations } from './migrations';
import { ProfileController } from './profile.controller';
import { ProfileResolver } from './profile.resolver';
import { RecentEvents } from './recent-events.handler';
import { PAGE_SETTINGS, PageController, type PageSettings } from './page.controller';
import { CLERK_EMULATOR, EmulatorController } from './emulator/emulator.controller';
import type { ClerkEmulator } from './emulator/clerk-emulator';

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
    entities: [AppUser, ClerkWebhookEventRecord, ...clerkOrganizationEntities],
    migrations: sampleMigrations,
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
        }),
        OrganizationsModule.forRoot(),
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
