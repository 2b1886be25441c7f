import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ClerkEnricher, type ClerkRequestEnricher, type ClerkRequestFields } from '../auth/request-enricher.js';
import { ClerkExpressRequestShape } from '../auth/express-request-shape.js';
import type { ClerkRequestAuth } from '../auth/clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { CLERK_ORGANIZATIONS_OPTIONS, ORGANIZATION_HEADER } from './organizations.constants.js';
import type { ResolvedOrganizationsOptions } from './organizations-options.interface.js';
import { OrganizationsService } from './organizations.service.js';

/**
 * Sets `request.organization` after authentication: the token's active org (the source of truth),
 * or, only when the app enables it, the org named by `X-Organization-Id`; in both cases only for an
 * active, recorded membership. Org and membership come from the cache (`orgCacheTtlSeconds`).
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

  /** `organization` and `organizationMembership` for the request (both `null` unless an active, recorded membership). */
  async enrich(request: Readonly<ClerkAuthenticatedRequest>, user: AbstractClerkUser, auth: ClerkRequestAuth): Promise<ClerkRequestFields> {
    const clerkOrgId = this.requestedOrganization(request) ?? auth.orgId;
    if (!clerkOrgId || !user.clerkId) return { organization: null, organizationMembership: null };
    const [organization, membership] = await Promise.all([
      this.organizations.cachedActiveOrganization(clerkOrgId),
      this.organizations.cachedActiveMembership(clerkOrgId, user.clerkId),
    ]);
    return organization && membership ? { organization, organizationMembership: membership } : { organization: null, organizationMembership: null };
  }

  private requestedOrganization(request: Readonly<ClerkAuthenticatedRequest>): string | null {
    if (!this.options.allowOrganizationHeader) return null;
    const value = request.headers[ORGANIZATION_HEADER];
    const id = Array.isArray(value) ? value[0] : value;
    return typeof id === 'string' && /^org_[A-Za-z0-9]+$/.test(id) ? id : null;
  }
}
