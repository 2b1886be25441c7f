import { Module, type CanActivate, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { clerkTypeOrmFeature, checkedDataSourceProvider } from './boot/typeorm-feature.js';
import { ClerkWebhookSetupCheck } from './boot/webhook-setup.check.js';
import {
  CLERK_RESOLVED_OPTIONS,
  CLERK_USER_ENTITY,
  CLERK_USER_REPOSITORY,
  CLERK_CACHE,
  CLERK_CLIENT,
} from './clerk-users.constants.js';
import {
  ConfigurableClerkUsersModule,
  CLERK_USERS_MODULE_OPTIONS,
  CLERK_USERS_ASYNC_OPTIONS_TYPE,
  CLERK_USERS_OPTIONS_TYPE,
  type ClerkUsersModuleExtras,
} from './clerk-users.module-definition.js';
import type { ClerkUsersModuleOptions, ResolvedClerkUsersOptions } from './options/clerk-users-options.interface.js';
import { ClerkUsersConfigurationError } from './options/configuration.error.js';
import { resolveClerkUsersOptions } from './options/resolve-options.js';
import { ClerkCacheService } from './cache/clerk-cache.service.js';
import { ClerkCacheNamespace } from './cache/clerk-cache-namespace.js';
import { clerkCacheProvider } from './cache/clerk-cache.provider.js';
import { clerkClientProvider } from './clerk-client/clerk-client.provider.js';
import { ClerkTokenVerifier } from './auth/clerk-token-verifier.service.js';
import { ClerkMachineTokenVerifier } from './auth/machine-token-verifier.service.js';
import { ClerkAuthenticator } from './auth/clerk-authenticator.service.js';
import { ClerkStrategy } from './auth/clerk.strategy.js';
import { ClerkAuthGuard } from './auth/clerk-auth.guard.js';
import { ClerkWsAuth } from './auth/transports/clerk-ws-auth.service.js';
import { ClerkExpressRequestShape } from './auth/express-request-shape.js';
import { ClerkUsersService } from './users/clerk-users.service.js';
import { ClerkUserResolver } from './auth/clerk-user-resolver.js';
import { DefaultClerkUserResolver } from './auth/default-clerk-user-resolver.service.js';
import { BearerTokenSource } from './auth/credentials/bearer-token.source.js';
import { CookieTokenSource } from './auth/credentials/cookie-token.source.js';
import { ClerkSessionCookies } from './auth/credentials/session-cookies.service.js';
import type { ClerkCredentialSource } from './auth/credentials/clerk-credential.js';
import { CLERK_CREDENTIAL_SOURCES } from './auth/auth.constants.js';
import type { ClerkUserEntityClass } from './users/abstract-clerk-user.entity.js';
import { ClerkUser } from './users/clerk-user.entity.js';
import { ClerkSessionRevocations } from './auth/clerk-session-revocations.service.js';
import { ClerkWebhookEventRecord } from './webhooks/clerk-webhook-event-record.entity.js';
import { clerkUsersEntities } from './clerk-users.entities.js';
import { ClerkWebhookHandlers } from './webhooks/clerk-webhook-handlers.service.js';
import { ClerkWebhookProcessor } from './webhooks/clerk-webhook-processor.service.js';
import { ClerkBuiltInWebhookHandlers } from './webhooks/clerk-built-in-handlers.js';
import { ClerkWebhookGuard } from './webhooks/clerk-webhook.guard.js';
import { createClerkWebhookController } from './webhooks/clerk-webhook.controller.js';
import { DEFAULT_WEBHOOK_PATH } from './webhooks/webhook.constants.js';
import { ClerkUsersSync } from './sync/clerk-users-sync.service.js';
import { StaffAccountsService } from './users/staff-accounts.service.js';
import { ClerkUsernames } from './users/username-assignment.service.js';
import { ClerkServerSessions } from './sessions/server-session.service.js';
import { localAuthModuleParts } from './sessions/local-auth.module-parts.js';
import { ClerkAuthorization } from './auth/authorization/clerk-authorization.service.js';
import { refusingPendingSessions } from './auth/authorization/pending-sessions.js';
import { APP_FILTER } from '@nestjs/core';
import { ClerkApiUnavailableFilter } from './clerk-client/clerk-api-unavailable.filter.js';
import { ClerkBootWarnings } from './boot/clerk-boot-warnings.js';
import { ClerkAccountsService } from './accounts/clerk-accounts.service.js';
import type { ClerkLocalAuthOptions } from './options/local-auth-options.js';

const EXPORTED = [
  CLERK_RESOLVED_OPTIONS,
  ClerkExpressRequestShape,
  CLERK_USER_ENTITY,
  CLERK_USER_REPOSITORY,
  CLERK_CACHE,
  CLERK_CLIENT,
  ClerkCacheService,
  ClerkTokenVerifier,
  ClerkMachineTokenVerifier,
  ClerkAuthenticator,
  ClerkAuthGuard,
  ClerkWsAuth,
  ClerkAuthorization,
  ClerkUsersService,
  ClerkUserResolver,
  ClerkSessionRevocations,
  ClerkWebhookHandlers,
  ClerkWebhookProcessor,
  ClerkWebhookGuard,
  ClerkUsersSync,
  StaffAccountsService,
  ClerkServerSessions,
  ClerkUsernames,
  ClerkAccountsService,
];

/**
 * The ordered credential sources of the request pipeline: the bearer token, then server sessions
 * (options `sessions`/`localAuth`), then the stateless cookie. Each refuses a pending session
 * unless the guard admitted it for the call (`@AllowPendingSession()`).
 */
const credentialSourcesProvider: Provider = {
  provide: CLERK_CREDENTIAL_SOURCES,
  useFactory: (options: ResolvedClerkUsersOptions, bearer: BearerTokenSource, sessions: ClerkServerSessions, cookie: CookieTokenSource): ClerkCredentialSource[] =>
    (options.sessions || options.localAuth ? [bearer, sessions, cookie] : [bearer, cookie]).map(refusingPendingSessions),
  inject: [CLERK_RESOLVED_OPTIONS, BearerTokenSource, ClerkServerSessions, CookieTokenSource],
};

/** `true`/`undefined`: `ClerkAuthGuard`; a subclass: itself; `false`: none; `undefined` for anything else (refused at boot by `checkExtras`). */
function globalGuardClass(globalGuard: ClerkUsersModuleExtras['globalGuard']): Type<CanActivate> | null | undefined {
  if (globalGuard === undefined || globalGuard === true) return ClerkAuthGuard;
  if (globalGuard === false) return null;
  if (typeof globalGuard === 'function' && (globalGuard === ClerkAuthGuard || globalGuard.prototype instanceof ClerkAuthGuard)) return globalGuard;
  return undefined;
}

function userResolverClass(userResolver: ClerkUsersModuleExtras['userResolver']): Type<unknown> | undefined {
  if (userResolver === undefined) return DefaultClerkUserResolver;
  return typeof userResolver === 'function' && userResolver.prototype instanceof ClerkUserResolver ? userResolver : undefined;
}

/** Extras the module could not use fail the boot (with the options), naming the extra. */
function checkExtras(extras: ClerkUsersModuleExtras): void {
  if (globalGuardClass(extras.globalGuard) === undefined) throw new ClerkUsersConfigurationError('globalGuard', 'must be true, false or a ClerkAuthGuard subclass');
  if (userResolverClass(extras.userResolver) === undefined) throw new ClerkUsersConfigurationError('userResolver', 'must be a class extending ClerkUserResolver');
}

/** The module's static extras, by name. */
const EXTRA_NAMES = ['userEntity', 'webhookPath', 'localAuth', 'globalGuard', 'userResolver'] as const satisfies ReadonlyArray<keyof ClerkUsersModuleExtras>;

function entityProviders(entity: ClerkUserEntityClass, extras: ClerkUsersModuleExtras): Provider[] {
  const { localAuth } = extras;
  return [
    { provide: CLERK_USER_ENTITY, useValue: entity },
    { provide: CLERK_USER_REPOSITORY, useExisting: getRepositoryToken(entity) },
    {
      provide: CLERK_RESOLVED_OPTIONS,
      useFactory: (options: ClerkUsersModuleOptions) => {
        // forRoot() keeps the extras out of the options value; a forRootAsync() factory cannot add them.
        const given = (options ?? {}) as Record<string, unknown>;
        const misplaced = EXTRA_NAMES.find((name) => given[name] !== undefined);
        if (misplaced) throw new ClerkUsersConfigurationError(misplaced, 'must be passed to forRootAsync() itself, beside useFactory, not returned by the factory');
        checkExtras(extras);
        return resolveClerkUsersOptions(options, { localAuth, globalGuard: globalGuardClass(extras.globalGuard) !== null });
      },
      inject: [CLERK_USERS_MODULE_OPTIONS],
    },
  ];
}

/**
 * Clerk authentication with a local TypeORM user table: a global guard (opt-out), the `clerk`
 * Passport strategy, token and user caches, first-request provisioning and the Clerk API client.
 */
@Module({
  providers: [
    checkedDataSourceProvider,
    ClerkWebhookSetupCheck,
    clerkCacheProvider,
    clerkClientProvider,
    ClerkCacheNamespace,
    ClerkCacheService,
    ClerkTokenVerifier,
    ClerkMachineTokenVerifier,
    ClerkUsersService,
    ClerkSessionCookies,
    BearerTokenSource,
    CookieTokenSource,
    credentialSourcesProvider,
    ClerkAuthenticator,
    ClerkStrategy,
    ClerkAuthGuard,
    ClerkExpressRequestShape,
    ClerkWsAuth,
    ClerkAuthorization,
    ClerkSessionRevocations,
    ClerkWebhookHandlers,
    ClerkWebhookProcessor,
    ClerkBuiltInWebhookHandlers,
    ClerkWebhookGuard,
    ClerkUsersSync,
    StaffAccountsService,
    ClerkServerSessions,
    ClerkUsernames,
    ClerkAccountsService,
    { provide: APP_FILTER, useClass: ClerkApiUnavailableFilter },
    ClerkBootWarnings,
  ],
  exports: EXPORTED,
})
export class ClerkUsersModule extends ConfigurableClerkUsersModule {
  static override forRoot(options: typeof CLERK_USERS_OPTIONS_TYPE): DynamicModule {
    return ClerkUsersModule.withExtras(super.forRoot(options), options);
  }

  static override forRootAsync(options: typeof CLERK_USERS_ASYNC_OPTIONS_TYPE): DynamicModule {
    return ClerkUsersModule.withExtras(super.forRootAsync(options), options);
  }

  private static withExtras(definition: DynamicModule, extras: ClerkUsersModuleExtras): DynamicModule {
    const entity = extras.userEntity ?? ClerkUser;
    const webhookPath = extras.webhookPath === undefined ? DEFAULT_WEBHOOK_PATH : extras.webhookPath;
    const localAuth = localAuthModuleParts(extras.localAuth);
    const guard = globalGuardClass(extras.globalGuard);
    const userResolver = userResolverClass(extras.userResolver);
    return {
      ...definition,
      imports: [...(definition.imports ?? []), DiscoveryModule, clerkTypeOrmFeature({ entities: [entity, ClerkWebhookEventRecord], listName: 'clerkUsersEntities', defaults: clerkUsersEntities })],
      controllers: [...(webhookPath === false ? [] : [createClerkWebhookController(webhookPath)]), ...localAuth.controllers],
      providers: [
        ...(definition.providers ?? []),
        ...entityProviders(entity, extras),
        ...localAuth.providers,
        // The default stays injectable by its class, so a replacement can extend or delegate to it.
        DefaultClerkUserResolver,
        userResolver && userResolver !== DefaultClerkUserResolver
          ? { provide: ClerkUserResolver, useClass: userResolver }
          : { provide: ClerkUserResolver, useExisting: DefaultClerkUserResolver },
        ...(guard ? [{ provide: APP_GUARD, useClass: guard }] : []),
      ],
      exports: [...(definition.exports ?? []), CLERK_USERS_MODULE_OPTIONS, TypeOrmModule],
    };
  }
}
