import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { CLERK_INVITATION_REPOSITORY, CLERK_MEMBERSHIP_REPOSITORY, CLERK_ORGANIZATION_REPOSITORY } from '../organizations/organizations.constants.js';
import { clerkOrganizationEntities } from '../organizations/organization.entities.js';
import { assertEntitiesRegistered, type EntityClass } from './typeorm-checks.js';

/**
 * With `OrganizationsModule`, its entities must be in the DataSource too; checked once the
 * DataSource is built (TypeORM would only fail on the first organization query or webhook).
 */
@Injectable()
export class ClerkEntityRegistrationCheck implements OnModuleInit {
  constructor(
    @Optional() @Inject(CLERK_ORGANIZATION_REPOSITORY) private readonly organizations?: Repository<object>,
    @Optional() @Inject(CLERK_MEMBERSHIP_REPOSITORY) private readonly memberships?: Repository<object>,
    @Optional() @Inject(CLERK_INVITATION_REPOSITORY) private readonly invitations?: Repository<object>,
  ) {}

  onModuleInit(): void {
    const repositories = [this.organizations, this.memberships, this.invitations].filter((r): r is Repository<object> => !!r);
    if (!repositories.length) return;
    assertEntitiesRegistered(repositories[0].manager.connection, {
      entities: repositories.map((repository) => repository.target as EntityClass),
      listName: 'clerkOrganizationEntities',
      defaults: clerkOrganizationEntities,
    });
  }
}
