/**
 * The public API of `nestjs-clerk-users`, by capability. Every name here is documented in the
 * README's "Public API" section (a test keeps the two equal); everything else is internal.
 */

// Module and options
export { ClerkUsersModule } from './clerk-users.module.js';
export type { ClerkUsersForRootOptions, ClerkUsersModuleExtras } from './clerk-users.module-definition.js';
export type { ClerkUsersModuleOptions } from './options/clerk-users-options.interface.js';
export type { ClerkLocalAuthOptions } from './options/local-auth-options.js';
export type { ClerkAutoGenerateUsernameOptions, ClerkMigrationOptions, ClerkPasswordHasher } from './options/migration-options.js';
export type { ClerkMachineTokenType, ClerkTokenType } from './options/token-types.js';
export type { ClerkImpersonationPolicy } from './options/impersonation.js';
export { clerkOptionsFromEnv } from './options/clerk-options-from-env.js';
export { ClerkUsersConfigurationError } from './options/configuration.error.js';

// Guard, decorators and what a request carries
export { ClerkAuthGuard } from './auth/clerk-auth.guard.js';
export { ClerkStrategy } from './auth/clerk.strategy.js';
export { CLERK_STRATEGY_NAME } from './clerk-users.constants.js';
export { Public } from './auth/public.decorator.js';
export { CurrentUser } from './auth/current-user.decorator.js';
export { CurrentOrg, type CurrentOrgOptions } from './auth/current-org.decorator.js';
export { AllowMachine, RequireMachine, RequireOrg, RequireOrgPermission, RequireOrgRole, RequireStaff, RequireSuperuser } from './auth/require.decorators.js';
export { AllowImpersonation, AllowPendingSession, DenyImpersonation, RequireFeature, RequirePlan, RequireReverification, RequireScopes } from './auth/require.decorators.js';
export { Auth } from './auth/authorization/auth.decorator.js';
export { ClerkAuthorization } from './auth/authorization/clerk-authorization.service.js';
export type { ClerkHasParams } from './auth/authorization/clerk-has.js';
export type { ClerkAuthObject, ClerkSessionAuthObject } from './auth/authorization/auth-object.js';
export type { ClerkReverificationConfig, ClerkReverificationLevel, ClerkReverificationPreset } from './auth/authorization/reverification.js';
export type { ClerkActor } from './auth/clerk-auth.interface.js';
export { isMachineAuth } from './auth/machine-token-type.js';
export { ClerkTokenRejectedError } from './auth/token-rejected.error.js';
export type { ClerkAuth, ClerkLocalAuth, ClerkMachineAuth, ClerkOrgContext, ClerkRequestAuth, ClerkSessionClaims } from './auth/clerk-auth.interface.js';
export type { ClerkAuthenticatedRequest } from './auth/clerk-request.interface.js';
export type { RoutePolicy } from './auth/route-policy.js';
export type { ClerkMachineAccess } from './auth/machine-access.js';
export type { ClerkAuthState, ClerkAuthTarget, ClerkTransport } from './auth/transports/clerk-auth-target.js';

// Extending the request path
export { ClerkUserResolver } from './auth/clerk-user-resolver.js';
export { DefaultClerkUserResolver } from './auth/default-clerk-user-resolver.service.js';
export { ClerkUserNotFoundError } from './users/clerk-user-not-found.error.js';
export { ClerkEnricher, type ClerkRequestEnricher, type ClerkRequestFields } from './auth/request-enricher.js';
export { narrowAuthToOrganization } from './auth/narrowed-auth.js';

// GraphQL and WebSockets
export { ClerkWsAuth, type ClerkSocketMiddleware } from './auth/transports/clerk-ws-auth.service.js';
export type { ClerkGraphqlWsConnection } from './auth/transports/graphql.transport.js';
export type { ClerkSocket } from './auth/transports/socket-io.transport.js';

// Users
export { AbstractClerkUser, type ClerkMetadata, type ClerkUserEntityClass } from './users/abstract-clerk-user.entity.js';
export { ClerkUser } from './users/clerk-user.entity.js';
export { ClerkUsersService, type ClerkUserUpsertOutcome, type ClerkUserUpsertResult } from './users/clerk-users.service.js';
export { mapClerkUser, type MappedClerkUser } from './users/clerk-user.mapper.js';
export type { ClerkEmailAddressJson, ClerkUserJson } from './users/clerk-user-json.interface.js';
export { StaffAccountsService, type LocalLoginIdentifier, type StaffAccountInput } from './users/staff-accounts.service.js';
export { clerkUsersEntities } from './clerk-users.entities.js';

// Migrations
export {
  clerkOrganizationMigrations,
  clerkUsersMigrations,
  ClerkInvitationAcceptedBy1764000000004,
  ClerkOrganizations1764000000002,
  ClerkUserPassword1764000000003,
  ClerkWebhookEvents1764000000001,
  ClerkWebhookEventUser1764000000005,
  CreateClerkUsers1764000000000,
} from './migrations/index.js';

// The Clerk Backend API
export { InjectClerkClient, type ClerkClient } from './clerk-client/clerk-client.provider.js';
export { ClerkApiUnavailableException } from './clerk-client/clerk-api-unavailable.exception.js';
export { ClerkApiTimeoutError } from './clerk-client/clerk-api-deadline.js';

// Acting on Clerk
export { ClerkAccountsService, type ClerkAccountChange } from './accounts/clerk-accounts.service.js';
export { ClerkApiError, type ClerkAccountOperation, type ClerkApiErrorDetail } from './accounts/clerk-api.error.js';
export { ClerkUserNotLinkedError } from './accounts/clerk-user-not-linked.error.js';
export type {
  ClerkAccessLink,
  ClerkAccountTarget,
  ClerkMetadataUpdate,
  ClerkSignInLink,
  ClerkUserProfileUpdate,
  CreateClerkUserInput,
  CreateClerkUserResult,
  InviteToOrganizationOptions,
  InviteUserOptions,
  ProvisionAccessLinkOptions,
  SignInLinkOptions,
} from './accounts/clerk-accounts.types.js';

// Webhooks
export { ClerkWebhookEventRecord } from './webhooks/clerk-webhook-event-record.entity.js';
export { OnClerkEvent } from './webhooks/on-clerk-event.decorator.js';
export { ClerkWebhookHandlers, type RegisteredClerkHandler } from './webhooks/clerk-webhook-handlers.service.js';
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

// Organizations
export { OrganizationsModule } from './organizations/organizations.module.js';
export type { OrganizationsModuleExtras, OrganizationsModuleOptions } from './organizations/organizations-options.interface.js';
export { OrganizationsService, type ClerkOrgUpsertOutcome } from './organizations/organizations.service.js';
export { AbstractClerkOrganization } from './organizations/abstract-clerk-organization.entity.js';
export { AbstractClerkOrganizationMembership } from './organizations/abstract-clerk-organization-membership.entity.js';
export { AbstractClerkOrganizationInvitation, type ClerkInvitationStatus } from './organizations/abstract-clerk-organization-invitation.entity.js';
export { ClerkOrganization, ClerkOrganizationInvitation, ClerkOrganizationMembership, clerkOrganizationEntities } from './organizations/organization.entities.js';
export { mapClerkInvitation, mapClerkMembership, mapClerkOrganization } from './organizations/organization.mapper.js';
export type { ClerkOrganizationInvitationJson, ClerkOrganizationJson, ClerkOrganizationMembershipJson, ClerkPublicUserDataJson } from './organizations/clerk-organization-json.interface.js';
export { ORGANIZATION_HEADER } from './organizations/organizations.constants.js';

// Sync
export { ClerkUsersSync, type UserSyncOptions } from './sync/clerk-users-sync.service.js';
export { ClerkOrganizationsSync, type OrganizationSyncOptions, type OrganizationSyncSummary } from './sync/clerk-organizations-sync.service.js';
export { SyncUsageError, type SyncReporter, type SyncSummary } from './sync/sync-report.js';

// Server sessions and staff login
export { ClerkServerSessions } from './sessions/server-session.service.js';
export { CLERK_LOCAL_STRATEGY_NAME, CLERK_SERVER_SESSION_KEY } from './sessions/sessions.constants.js';
export type { ClerkServerSessionState, LocalServerSessionState, ServerSessionState } from './sessions/server-session.interface.js';
export { LocalLoginRateLimitedException } from './sessions/local-login.service.js';
export type { LocalLoginResponse } from './sessions/local-auth.controller.js';

// Metrics (OpenTelemetry)
export { CLERK_METER_NAME, CLERK_METRIC, CLERK_METRIC_ATTRIBUTE } from './metrics/clerk-metrics.constants.js';
