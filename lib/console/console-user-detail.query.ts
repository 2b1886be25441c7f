import { Inject, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { IsNull, type EntityMetadata, type Repository } from 'typeorm';
import { CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkDeletableRow, ClerkMirroredRow } from '../common/clerk-mirrored-row.entity.js';
import { CLERK_MEMBERSHIP_REPOSITORY, CLERK_ORGANIZATION_REPOSITORY } from '../organizations/organizations.constants.js';
import type { AbstractClerkOrganizationMembership } from '../organizations/abstract-clerk-organization-membership.entity.js';
import type { AbstractClerkOrganization } from '../organizations/abstract-clerk-organization.entity.js';

/** A membership as the user's detail shows it. */
export interface ConsoleUserMembership {
  organizationId: string;
  clerkOrganizationId: string;
  name: string | null;
  slug: string | null;
  role: string;
  joinedAt: Date | null;
}

/** `GET <path>/api/users/:id`. */
export interface ConsoleUserDetail {
  /** Every column of the row by property name (the app's own columns included), never the password hash. */
  user: Record<string, unknown>;
  /** Properties the app's entity adds to `AbstractClerkUser`. */
  extraColumns: string[];
  /** With `OrganizationsModule`: the user's current memberships; `null` without it. */
  memberships: ConsoleUserMembership[] | null;
}

const BASE_CLASSES: readonly unknown[] = [AbstractClerkUser, ClerkDeletableRow, ClerkMirroredRow];

/** Columns a row may show: everything selectable (the password hash is `select: false`). */
export function visibleColumns(metadata: EntityMetadata) {
  return metadata.columns.filter((column) => column.isSelect);
}

/** A user's row (all its columns), its extra columns and its memberships. */
@Injectable()
export class ConsoleUserDetailQuery {
  constructor(
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
    @Optional() @Inject(CLERK_MEMBERSHIP_REPOSITORY) private readonly memberships?: Repository<AbstractClerkOrganizationMembership>,
    @Optional() @Inject(CLERK_ORGANIZATION_REPOSITORY) private readonly organizations?: Repository<AbstractClerkOrganization>,
  ) {}

  async find(id: string): Promise<ConsoleUserDetail> {
    const user = await this.repository.findOne({ where: { id } });
    if (!user) throw new NotFoundException('No such user');
    const columns = visibleColumns(this.repository.metadata);
    return {
      user: Object.fromEntries(columns.map((column) => [column.propertyName, column.getEntityValue(user)])),
      extraColumns: columns.filter((column) => !BASE_CLASSES.includes(column.target)).map((column) => column.propertyName),
      memberships: await this.membershipsOf(id),
    };
  }

  private async membershipsOf(userId: string): Promise<ConsoleUserMembership[] | null> {
    if (!this.memberships || !this.organizations) return null;
    const rows = await this.memberships.find({ where: { userId, clerkDeletedAt: IsNull() }, order: { joinedAt: 'DESC' }, take: 100 });
    const orgs = rows.length ? await this.organizations.findBy(rows.map((row) => ({ id: row.organizationId }))) : [];
    const byId = new Map(orgs.map((org) => [org.id, org]));
    return rows.map((row) => ({
      organizationId: row.organizationId,
      clerkOrganizationId: row.clerkOrganizationId,
      name: byId.get(row.organizationId)?.name ?? null,
      slug: byId.get(row.organizationId)?.slug ?? null,
      role: row.role,
      joinedAt: row.joinedAt,
    }));
  }
}
