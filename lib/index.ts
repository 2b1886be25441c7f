export { ClerkUsersModule } from './clerk-users.module.js';
export { CLERK_USERS_MODULE_OPTIONS, type ClerkUsersForRootOptions, type ClerkUsersModuleExtras } from './clerk-users.module-definition.js';
export {
  CLERK_CACHE,
  CLERK_CLIENT,
  CLERK_RESOLVED_OPTIONS,
  CLERK_SESSION_COOKIE,
  CLERK_STRATEGY_NAME,
  CLERK_USER_ENTITY,
  CLERK_USER_REPOSITORY,
  DEFAULT_CLERK_API_URL,
} from './clerk-users.constants.js';

export type { ClerkUsersModuleOptions, ResolvedClerkUsersOptions } from './options/clerk-users-options.interface.js';
export { clerkOptionsFromEnv } from './options/clerk-options-from-env.js';
export { ClerkUsersConfigurationError, resolveClerkUsersOptions } from './options/resolve-options.js';

export type { ClerkOrgContext, ClerkRequestAuth, ClerkSessionClaims } from './auth/clerk-auth.interface.js';
export type { ClerkAuthenticatedRequest } from './auth/clerk-request.interface.js';
export { ClerkAuthGuard } from './auth/clerk-auth.guard.js';
export { ClerkAuthenticator } from './auth/clerk-authenticator.service.js';
export { ClerkStrategy } from './auth/clerk.strategy.js';
export { ClerkTokenVerifier, MAX_TOKEN_LENGTH } from './auth/clerk-token-verifier.service.js';
export { ClerkTokenRejectedError } from './auth/token-rejected.error.js';
export { extractSessionToken } from './auth/token-extractor.js';
export { authFromClaims, decodeV2Permissions, orgFromClaims } from './auth/org-claims.js';
export { Public } from './auth/public.decorator.js';
export { CurrentUser } from './auth/current-user.decorator.js';
export { CurrentOrg } from './auth/current-org.decorator.js';
export { RequireOrg, RequireOrgPermission, RequireOrgRole, RequireStaff, RequireSuperuser } from './auth/require.decorators.js';
export {
  CLERK_IS_PUBLIC,
  CLERK_REQUIRE_ORG,
  CLERK_REQUIRE_ORG_PERMISSIONS,
  CLERK_REQUIRE_ORG_ROLES,
  CLERK_REQUIRE_STAFF,
  CLERK_REQUIRE_SUPERUSER,
} from './auth/auth.constants.js';

export { AbstractClerkUser, type ClerkMetadata, type ClerkUserEntityClass } from './users/abstract-clerk-user.entity.js';
export { ClerkUser } from './users/clerk-user.entity.js';
export type { ClerkEmailAddressJson, ClerkUserJson } from './users/clerk-user-json.interface.js';
export { mapClerkUser, type MappedClerkUser } from './users/clerk-user.mapper.js';
export { ClerkUsersService, type ClerkUserUpsertOutcome, type ClerkUserUpsertResult } from './users/clerk-users.service.js';
export { ClerkUserResolver } from './auth/clerk-user-resolver.js';
export { DefaultClerkUserResolver } from './auth/default-clerk-user-resolver.service.js';
export { ClerkUserNotFoundError } from './users/clerk-user-not-found.error.js';

export { ClerkCacheService } from './cache/clerk-cache.service.js';
export { InjectClerkClient, type ClerkClient } from './clerk-client/clerk-client.provider.js';
export { ClerkApiUnavailableException } from './clerk-client/clerk-api-unavailable.exception.js';
export { ClerkApiTimeoutError } from './clerk-client/clerk-api-deadline.js';
export { clerkUsersMigrations, CreateClerkUsers1764000000000, ClerkWebhookEvents1764000000001 } from './migrations/index.js';
export { clerkUsersEntities } from './clerk-users.entities.js';

export { ClerkSessionRevocations } from './auth/clerk-session-revocations.service.js';
export { ClerkWebhookEventRecord } from './webhooks/clerk-webhook-event-record.entity.js';
export { ClerkWebhookHandlers, type RegisteredClerkHandler } from './webhooks/clerk-webhook-handlers.service.js';
export { ClerkWebhookProcessor, type ClerkWebhookOutcome } from './webhooks/clerk-webhook-processor.service.js';
export { OnClerkEvent } from './webhooks/on-clerk-event.decorator.js';
export { ClerkWebhookEndpoint, ClerkWebhookGuard, VerifiedClerkWebhookEvent, type ClerkWebhookEndpointOptions } from './webhooks/clerk-webhook.guard.js';
export { verifyClerkWebhook, ClerkWebhookRejectedError, type VerifiedClerkWebhook } from './webhooks/clerk-webhook-verifier.js';
export type {
  ClerkEventSelector,
  ClerkWebhookContext,
  ClerkWebhookEvent,
  ClerkWebhookEventType,
  ClerkWebhookHandlerFn,
  ClerkWebhookHandlerOptions,
  UntypedClerkWebhookEvent,
} from './webhooks/clerk-webhook-event.types.js';
export { DEFAULT_WEBHOOK_PATH, DEFAULT_WEBHOOK_MAX_BYTES } from './webhooks/webhook.constants.js';

export { OrganizationsModule } from './organizations/organizations.module.js';
export { OrganizationsService, type ClerkOrgUpsertOutcome } from './organizations/organizations.service.js';
export type { OrganizationsModuleExtras, OrganizationsModuleOptions } from './organizations/organizations-options.interface.js';
export { AbstractClerkOrganization } from './organizations/abstract-clerk-organization.entity.js';
export { AbstractClerkOrganizationMembership } from './organizations/abstract-clerk-organization-membership.entity.js';
export { AbstractClerkOrganizationInvitation, type ClerkInvitationStatus } from './organizations/abstract-clerk-organization-invitation.entity.js';
export { ClerkOrganization, ClerkOrganizationInvitation, ClerkOrganizationMembership, clerkOrganizationEntities } from './organizations/organization.entities.js';
export type {
  ClerkOrganizationInvitationJson,
  ClerkOrganizationJson,
  ClerkOrganizationMembershipJson,
  ClerkPublicUserDataJson,
} from './organizations/clerk-organization-json.interface.js';
export { mapClerkInvitation, mapClerkMembership, mapClerkOrganization } from './organizations/organization.mapper.js';
export { ORGANIZATION_HEADER } from './organizations/organizations.constants.js';
export { clerkOrganizationMigrations, ClerkOrganizations1764000000002 } from './migrations/index.js';
export type { CurrentOrgOptions } from './auth/current-org.decorator.js';
export { ClerkEnricher, type ClerkRequestEnricher, type ClerkRequestFields } from './auth/request-enricher.js';

export type { ClerkAuth, ClerkMachineAuth, ClerkMachineTokenType, ClerkTokenType } from './auth/clerk-auth.interface.js';
export { AllowMachine, RequireMachine } from './auth/require.decorators.js';
export { CLERK_MACHINE_ACCESS } from './auth/auth.constants.js';
export type { ClerkMachineAccess } from './auth/machine-access.js';
export { CLERK_MACHINE_TOKEN_TYPES, CLERK_TOKEN_TYPES, isMachineAuth, machineTokenTypeOf } from './auth/machine-token-type.js';
export { ClerkMachineTokenVerifier } from './auth/machine-token-verifier.service.js';

export { ClerkUsersSync, type UserSyncOptions } from './sync/clerk-users-sync.service.js';
export { ClerkOrganizationsSync, type OrganizationSyncOptions, type OrganizationSyncSummary } from './sync/clerk-organizations-sync.service.js';
export { SyncUsageError, type SyncReporter, type SyncSummary } from './sync/sync-report.js';
export { withClerkRetry, type RetryPolicy } from './sync/clerk-api-retry.js';
export { StaffAccountsService } from './users/staff-accounts.service.js';
export { hashPassword, verifyPassword } from './users/password-hasher.js';
export { ClerkUserPassword1764000000003 } from './migrations/index.js';
export { ClerkInvitationAcceptedBy1764000000004 } from './migrations/index.js';
export { ClerkDeletableRow, ClerkMirroredRow } from './common/clerk-mirrored-row.entity.js';

export { ClerkWsAuth, type ClerkSocketMiddleware } from './auth/transports/clerk-ws-auth.service.js';
export { resolveClerkAuthTarget, clerkAuthStateOf, type ClerkAuthState, type ClerkAuthTarget, type ClerkTransport } from './auth/transports/clerk-auth-target.js';
export type { ClerkGraphqlWsConnection } from './auth/transports/graphql.transport.js';
export type { ClerkSocket } from './auth/transports/socket-io.transport.js';

export type { ClerkLocalAuth } from './auth/clerk-auth.interface.js';
export { DEFAULT_LOCAL_AUTH_PATH, type ClerkLocalAuthOptions, type ResolvedLocalAuthOptions } from './options/local-auth-options.js';
export { ClerkServerSessions } from './sessions/server-session.service.js';
export { CLERK_LOCAL_STRATEGY_NAME, CLERK_SERVER_SESSION_KEY } from './sessions/sessions.constants.js';
export type { ClerkServerSessionState, LocalServerSessionState, ServerSessionState } from './sessions/server-session.interface.js';
export { ClerkLocalStrategy } from './sessions/clerk-local.strategy.js';
export { LocalLoginService, LocalLoginRateLimitedException } from './sessions/local-login.service.js';
export { LocalLoginLimiter } from './sessions/local-login-limiter.js';
export type { LocalLoginResponse } from './sessions/local-auth.controller.js';
export { isUntrustedUnsafeRequest, requestOrigin } from './sessions/csrf-check.js';
export type { LocalLoginIdentifier, StaffAccountInput } from './users/staff-accounts.service.js';
