export { ClerkUsersModule } from './clerk-users.module';
export { CLERK_USERS_MODULE_OPTIONS, type ClerkUsersModuleExtras } from './clerk-users.module-definition';
export {
  CLERK_CACHE,
  CLERK_CLIENT,
  CLERK_RESOLVED_OPTIONS,
  CLERK_SESSION_COOKIE,
  CLERK_STRATEGY_NAME,
  CLERK_USER_ENTITY,
  CLERK_USER_REPOSITORY,
  DEFAULT_CLERK_API_URL,
} from './clerk-users.constants';

export type { ClerkUsersModuleOptions, ResolvedClerkUsersOptions } from './options/clerk-users-options.interface';
export { clerkOptionsFromEnv } from './options/clerk-options-from-env';
export { ClerkUsersConfigurationError, resolveClerkUsersOptions } from './options/resolve-options';

export type { ClerkOrgContext, ClerkRequestAuth, ClerkSessionClaims } from './auth/clerk-auth.interface';
export type { ClerkAuthenticatedRequest } from './auth/clerk-request.interface';
export { ClerkAuthGuard } from './auth/clerk-auth.guard';
export { ClerkAuthenticator } from './auth/clerk-authenticator.service';
export { ClerkStrategy } from './auth/clerk.strategy';
export { ClerkTokenVerifier, MAX_TOKEN_LENGTH } from './auth/clerk-token-verifier.service';
export { ClerkTokenRejectedError } from './auth/token-rejected.error';
export { extractSessionToken } from './auth/token-extractor';
export { authFromClaims, decodeV2Permissions, orgFromClaims } from './auth/org-claims';
export { Public } from './auth/public.decorator';
export { CurrentUser } from './auth/current-user.decorator';
export { CurrentOrg } from './auth/current-org.decorator';
export { RequireOrg, RequireOrgPermission, RequireOrgRole, RequireStaff, RequireSuperuser } from './auth/require.decorators';
export {
  CLERK_IS_PUBLIC,
  CLERK_REQUIRE_ORG,
  CLERK_REQUIRE_ORG_PERMISSIONS,
  CLERK_REQUIRE_ORG_ROLES,
  CLERK_REQUIRE_STAFF,
  CLERK_REQUIRE_SUPERUSER,
} from './auth/auth.constants';

export { AbstractClerkUser, type ClerkMetadata, type ClerkUserEntityClass } from './users/abstract-clerk-user.entity';
export { ClerkUser } from './users/clerk-user.entity';
export type { ClerkEmailAddressJson, ClerkUserJson } from './users/clerk-user-json.interface';
export { mapClerkUser, type MappedClerkUser } from './users/clerk-user.mapper';
export { ClerkUsersService, type ClerkUserUpsertOutcome, type ClerkUserUpsertResult } from './users/clerk-users.service';
export { ClerkUserResolver } from './users/clerk-user-resolver.service';

export { ClerkCacheService } from './cache/clerk-cache.service';
export { InjectClerkClient, type ClerkClient } from './clerk-client/clerk-client.provider';
export { clerkUsersMigrations, CreateClerkUsers1764000000000, ClerkWebhookEvents1764000000001 } from './migrations';
export { clerkUsersEntities } from './clerk-users.entities';

export { ClerkSessionRevocations } from './auth/clerk-session-revocations.service';
export { ClerkWebhookEventRecord } from './webhooks/clerk-webhook-event-record.entity';
export { ClerkWebhookHandlers, type RegisteredClerkHandler } from './webhooks/clerk-webhook-handlers.service';
export { ClerkWebhookProcessor, type ClerkWebhookOutcome } from './webhooks/clerk-webhook-processor.service';
export { OnClerkEvent } from './webhooks/on-clerk-event.decorator';
export { ClerkWebhookEndpoint, ClerkWebhookGuard, VerifiedClerkWebhookEvent, type ClerkWebhookEndpointOptions } from './webhooks/clerk-webhook.guard';
export { verifyClerkWebhook, ClerkWebhookRejectedError, type VerifiedClerkWebhook } from './webhooks/clerk-webhook-verifier';
export type {
  ClerkEventSelector,
  ClerkWebhookContext,
  ClerkWebhookEvent,
  ClerkWebhookEventType,
  ClerkWebhookHandlerFn,
  ClerkWebhookHandlerOptions,
  UntypedClerkWebhookEvent,
} from './webhooks/clerk-webhook-event.types';
export { DEFAULT_WEBHOOK_PATH, DEFAULT_WEBHOOK_MAX_BYTES } from './webhooks/webhook.constants';

export { OrganizationsModule } from './organizations/organizations.module';
export { OrganizationsService, type ClerkOrgUpsertOutcome } from './organizations/organizations.service';
export type { OrganizationsModuleOptions } from './organizations/organizations-options.interface';
export { AbstractClerkOrganization } from './organizations/abstract-clerk-organization.entity';
export { AbstractClerkOrganizationMembership } from './organizations/abstract-clerk-organization-membership.entity';
export { AbstractClerkOrganizationInvitation, type ClerkInvitationStatus } from './organizations/abstract-clerk-organization-invitation.entity';
export { ClerkOrganization, ClerkOrganizationInvitation, ClerkOrganizationMembership, clerkOrganizationEntities } from './organizations/organization.entities';
export type {
  ClerkOrganizationInvitationJson,
  ClerkOrganizationJson,
  ClerkOrganizationMembershipJson,
  ClerkPublicUserDataJson,
} from './organizations/clerk-organization-json.interface';
export { mapClerkInvitation, mapClerkMembership, mapClerkOrganization } from './organizations/organization.mapper';
export { ORGANIZATION_HEADER } from './organizations/organizations.constants';
export { clerkOrganizationMigrations, ClerkOrganizations1764000000002 } from './migrations';
export type { CurrentOrgOptions } from './auth/current-org.decorator';
export type { ClerkRequestEnricher } from './auth/clerk-authenticator.service';

export type { ClerkAuth, ClerkMachineAuth, ClerkMachineTokenType, ClerkTokenType } from './auth/clerk-auth.interface';
export { AllowMachine, RequireMachine } from './auth/require.decorators';
export { CLERK_MACHINE_ACCESS } from './auth/auth.constants';
export type { ClerkMachineAccess } from './auth/machine-access';
export { CLERK_MACHINE_TOKEN_TYPES, CLERK_TOKEN_TYPES, isMachineAuth, machineTokenTypeOf } from './auth/machine-token-type';
export { ClerkMachineTokenVerifier } from './auth/machine-token-verifier.service';

export { ClerkUsersSync, type UserSyncOptions } from './sync/clerk-users-sync.service';
export { ClerkOrganizationsSync, type OrganizationSyncOptions, type OrganizationSyncSummary } from './sync/clerk-organizations-sync.service';
export { SyncUsageError, type SyncReporter, type SyncSummary } from './sync/sync-report';
export { withClerkRetry, type RetryPolicy } from './sync/clerk-api-retry';
export { StaffAccountsService } from './users/staff-accounts.service';
export { hashPassword, verifyPassword } from './users/password-hasher';
export { ClerkUserPassword1764000000003 } from './migrations';
export { ClerkInvitationAcceptedBy1764000000004 } from './migrations';
export { ClerkDeletableRow, ClerkMirroredRow } from './common/clerk-mirrored-row.entity';

export { ClerkWsAuth, type ClerkSocketMiddleware } from './auth/transports/clerk-ws-auth.service';
export { resolveClerkAuthTarget, clerkAuthStateOf, type ClerkAuthState, type ClerkAuthTarget, type ClerkTransport } from './auth/transports/clerk-auth-target';
export type { ClerkGraphqlWsConnection } from './auth/transports/graphql.transport';
export type { ClerkSocket } from './auth/transports/socket-io.transport';

export type { ClerkLocalAuth } from './auth/clerk-auth.interface';
export { DEFAULT_LOCAL_AUTH_PATH, type ClerkLocalAuthOptions, type ResolvedLocalAuthOptions } from './options/local-auth-options';
export { ClerkServerSessions } from './sessions/server-session.service';
export { CLERK_LOCAL_STRATEGY_NAME, CLERK_SERVER_SESSION_KEY } from './sessions/sessions.constants';
export type { ClerkServerSessionState, LocalServerSessionState, ServerSessionState } from './sessions/server-session.interface';
export { ClerkLocalStrategy } from './sessions/clerk-local.strategy';
export { LocalLoginService, LocalLoginRateLimitedException } from './sessions/local-login.service';
export { LocalLoginLimiter } from './sessions/local-login-limiter';
export type { LocalLoginResponse } from './sessions/local-auth.controller';
export { isUntrustedUnsafeRequest, requestOrigin } from './sessions/csrf-check';
export type { LocalLoginIdentifier, StaffAccountInput } from './users/staff-accounts.service';
