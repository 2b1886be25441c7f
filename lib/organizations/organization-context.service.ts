import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ClerkEnricher, type ClerkRequestEnricher, type ClerkRequestFields } from '../auth/request-enricher.js';
import { ClerkExpressRequestShape } from '../auth/express-request-shape.js';
import type { ClerkRequestAuth } from '../auth/clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';
import { narrowAuthToOrganization } from '../auth/narrowed-auth.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { CLERK_ORGANIZATIONS_OPTIONS, ORGANIZATION_HEADER } from './organizations.constants.js';
import type { ResolvedOrganizationsOptions } from './organizations-options.interface.js';
import { OrganizationsService } from './organizations.service.js';

const ORG_ID = /^org_[A-Za-z0-9]+$/;
const NO_ORGANIZATION = { organization: null, organizationMembership: null } as const;

/** A membership row's permissions as a session token would carry them: Clerk leaves system permissions (`org:sys_…`) out of tokens. */
const tokenPermissions = (permissions: unknown): string[] =>
  Array.isArray(permissions) ? permissions.filter((p): p is string => typeof p === 'string' && !p.startsWith('org:sys_')) : [];

/**
 * Sets `request.organization` after authentication: the token's active org (the source of truth),
 * for an active, recorded membership (org and membership from the cache, `orgCacheTtlSeconds`).
 * When the app enables `X-Organization-Id` and it names another org, the request moves to that org
 * as a whole: `request.auth` is narrowed to the membership there (role and permissions of the
 * membership row), or to no org at all when the user has no active membership in it, so the
 * `@RequireOrg…()` checks and the handler see one organization. The header is looked up among the
 * user's own memberships: an arbitrary id gets no cache entry.
 */
@Injectable()
@ClerkEnricher()
export class OrganizationContext implements ClerkRequestEnricher, OnModuleInit {
  constructor(
    private readonly requestShape: ClerkExpressRequestShape,
    private readonly organizations: OrganizationsService,
    @Inject(CLERK_ORGANIZATIONS_OPTIONS) private readonly options: ResolvedOrganizationsOptions,
  ) {}

  onModuleInit(): void {
    this.requestShape.declare('organization', 'organizationMembership');
  }

  /** `organization` and `organizationMembership` (both `null` unless an active, recorded membership), and the narrowed `auth` when the header selects another org. */
  async enrich(request: Readonly<ClerkAuthenticatedRequest>, user: AbstractClerkUser, auth: ClerkRequestAuth): Promise<ClerkRequestFields> {
    const requested = this.requestedOrganization(request);
    if (requested === undefined || requested === auth.orgId) return this.tokenOrganization(user, auth);
    return this.headerOrganization(user, auth, requested);
  }

  private async tokenOrganization(user: AbstractClerkUser, auth: ClerkRequestAuth): Promise<ClerkRequestFields> {
    if (!auth.orgId || !user.clerkId) return NO_ORGANIZATION;
    const [organization, membership] = await Promise.all([
      this.organizations.cachedActiveOrganization(auth.orgId),
      this.organizations.cachedActiveMembership(auth.orgId, user.clerkId),
    ]);
    return organization && membership ? { organization, organizationMembership: membership } : NO_ORGANIZATION;
  }

  /** Another org than the token's: only through an active membership of the user, with that membership's role and permissions. */
  private async headerOrganization(user: AbstractClerkUser, auth: ClerkRequestAuth, clerkOrgId: string | null): Promise<ClerkRequestFields> {
    const none = { auth: narrowAuthToOrganization(auth, null), ...NO_ORGANIZATION };
    if (!clerkOrgId || !user.clerkId) return none;
    const memberships = await this.organizations.cachedActiveMembershipsOfUser(user.clerkId);
    const membership = memberships.find((candidate) => candidate.clerkOrganizationId === clerkOrgId);
    if (!membership) return none;
    // Only an org the user belongs to reaches the per-org cache.
    const organization = await this.organizations.cachedActiveOrganization(clerkOrgId);
    if (!organization) return none;
    const org = { id: clerkOrgId, slug: organization.slug, role: membership.role, permissions: tokenPermissions(membership.permissions) };
    return { auth: narrowAuthToOrganization(auth, org), organization, organizationMembership: membership };
  }

  /** `undefined`: no selection (option off, no header); `null`: a header that names no valid org id; else the id. */
  private requestedOrganization(request: Readonly<ClerkAuthenticatedRequest>): string | null | undefined {
    if (!this.options.allowOrganizationHeader) return undefined;
    const value = request.headers[ORGANIZATION_HEADER];
    const id = (Array.isArray(value) ? value.join(',') : value)?.trim();
    if (!id) return undefined;
    return ORG_ID.test(id) && id.length <= 255 ? id : null;
  }
}
