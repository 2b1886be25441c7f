import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ClerkAuthenticator } from '../auth/clerk-authenticator.service.js';
import { ClerkExpressRequestShape } from '../auth/express-request-shape.js';
import type { ClerkRequestAuth } from '../auth/clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { CLERK_ORGANIZATIONS_OPTIONS, ORGANIZATION_HEADER } from './organizations.constants.js';
import type { OrganizationsModuleOptions } from './organizations-options.interface.js';
import { OrganizationsService } from './organizations.service.js';

/**
 * Sets `request.organization` after authentication: the token's active org (the source of truth),
 * or, only when the app enables it, the org named by `X-Organization-Id`; in both cases only for an
 * active, recorded membership. Org and membership come from the cache (`orgCacheTtlSeconds`).
 */
@Injectable()
export class OrganizationContext implements OnModuleInit {
  constructor(
    private readonly authenticator: ClerkAuthenticator,
    private readonly requestShape: ClerkExpressRequestShape,
    private readonly organizations: OrganizationsService,
    @Inject(CLERK_ORGANIZATIONS_OPTIONS) private readonly options: OrganizationsModuleOptions,
  ) {}

  onModuleInit(): void {
    this.authenticator.addEnricher((request, user, auth) => this.resolve(request, user, auth));
    this.requestShape.declare('organization', 'organizationMembership');
  }

  private async resolve(request: ClerkAuthenticatedRequest, user: AbstractClerkUser, auth: ClerkRequestAuth): Promise<void> {
    request.organization = null;
    request.organizationMembership = null;
    const clerkOrgId = this.requestedOrganization(request) ?? auth.orgId;
    if (!clerkOrgId || !user.clerkId) return;
    const [organization, membership] = await Promise.all([
      this.organizations.cachedActiveOrganization(clerkOrgId),
      this.organizations.cachedActiveMembership(clerkOrgId, user.clerkId),
    ]);
    if (organization && membership) {
      request.organization = organization;
      request.organizationMembership = membership;
    }
  }

  private requestedOrganization(request: ClerkAuthenticatedRequest): string | null {
    if (!this.options.allowOrganizationHeader) return null;
    const value = request.headers[ORGANIZATION_HEADER];
    const id = Array.isArray(value) ? value[0] : value;
    return typeof id === 'string' && /^org_[A-Za-z0-9]+$/.test(id) ? id : null;
  }
}
