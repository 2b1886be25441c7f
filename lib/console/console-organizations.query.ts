import { Inject, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { In, IsNull, type Repository } from 'typeorm';
import { CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { CLERK_INVITATION_REPOSITORY, CLERK_MEMBERSHIP_REPOSITORY, CLERK_ORGANIZATION_REPOSITORY } from '../organizations/organizations.constants.js';
import type { AbstractClerkOrganization } from '../organizations/abstract-clerk-organization.entity.js';
import type { AbstractClerkOrganizationMembership } from '../organizations/abstract-clerk-organization-membership.entity.js';
import type { AbstractClerkOrganizationInvitation } from '../organizations/abstract-clerk-organization-invitation.entity.js';
import { decodeCursor, encodeCursor, KEY_TEXT } from './keyset-cursor.js';
import { likePrefix, type ConsolePage } from './console-list-params.js';
import { userLabel } from './console-actor.js';

/** An organization as the list shows it. */
export interface ConsoleOrganizationSummary {
  id: string;
  clerkId: string;
  name: string;
  slug: string | null;
  isActive: boolean;
  membersCount: number;
  pendingInvitationsCount: number;
}

/** `GET <path>/api/organizations/:id`. */
export interface ConsoleOrganizationDetail {
  organization: ConsoleOrganizationSummary & { createdAt: Date; publicMetadata: Record<string, unknown> };
  members: Array<{ userId: string; clerkUserId: string; user: string | null; role: string; joinedAt: Date | null }>;
  pendingInvitations: Array<{ id: string; emailAddress: string; role: string; createdAt: Date }>;
}

const SUMMARY = ['id', 'clerkId', 'name', 'slug', 'isActive', 'membersCount', 'pendingInvitationsCount'] as const;

/** Organizations, their members with roles and pending invitations (`OrganizationsModule`'s tables; 404 without it). */
@Injectable()
export class ConsoleOrganizationsQuery {
  constructor(
    @Inject(CLERK_USER_REPOSITORY) private readonly users: Repository<AbstractClerkUser>,
    @Optional() @Inject(CLERK_ORGANIZATION_REPOSITORY) private readonly organizations?: Repository<AbstractClerkOrganization>,
    @Optional() @Inject(CLERK_MEMBERSHIP_REPOSITORY) private readonly memberships?: Repository<AbstractClerkOrganizationMembership>,
    @Optional() @Inject(CLERK_INVITATION_REPOSITORY) private readonly invitations?: Repository<AbstractClerkOrganizationInvitation>,
  ) {}

  private loaded() {
    if (!this.organizations || !this.memberships || !this.invitations) throw new NotFoundException('OrganizationsModule is not loaded');
    return { organizations: this.organizations, memberships: this.memberships, invitations: this.invitations };
  }

  /** By name, then id; `search` is a prefix of the name, slug or Clerk id. */
  async list(filters: { search?: string; cursor?: string; limit: number }): Promise<ConsolePage<ConsoleOrganizationSummary>> {
    const { organizations } = this.loaded();
    const query = organizations.createQueryBuilder('o').select(SUMMARY.map((p) => `o.${p}`));
    if (filters.search) {
      query.andWhere('(lower(o.name) LIKE :q OR lower(o.slug) LIKE :q OR lower(o.clerkId) LIKE :q)', { q: likePrefix(filters.search.toLowerCase()) });
    }
    const after = decodeCursor(filters.cursor, [/^[^\u0000]{0,255}$/, KEY_TEXT]);
    if (after) query.andWhere('(o.name, o.id::text) > (:name, :id)', { name: after[0], id: after[1] });
    const rows = await query.orderBy('o.name', 'ASC').addOrderBy('o.id', 'ASC').take(filters.limit + 1).getMany();
    const page = rows.slice(0, filters.limit);
    const last = page.at(-1);
    return {
      items: page.map((org) => Object.fromEntries(SUMMARY.map((p) => [p, org[p]])) as unknown as ConsoleOrganizationSummary),
      nextCursor: rows.length > filters.limit && last ? encodeCursor([last.name, last.id]) : null,
    };
  }

  async find(id: string): Promise<ConsoleOrganizationDetail> {
    const { organizations, memberships, invitations } = this.loaded();
    const org = await organizations.findOne({ where: { id } });
    if (!org) throw new NotFoundException('No such organization');
    const members = await memberships.find({ where: { organizationId: id, clerkDeletedAt: IsNull() }, order: { joinedAt: 'ASC' }, take: 500 });
    const users = members.length ? await this.users.find({ where: { id: In(members.map((m) => m.userId)) } }) : [];
    const userById = new Map(users.map((user) => [user.id, user]));
    const pending = await invitations.find({ where: { organizationId: id, status: 'pending' }, order: { createdAt: 'DESC' }, take: 500 });
    return {
      organization: { ...(Object.fromEntries(SUMMARY.map((p) => [p, org[p]])) as unknown as ConsoleOrganizationSummary), createdAt: org.createdAt, publicMetadata: org.publicMetadata },
      members: members.map((m) => {
        const user = userById.get(m.userId);
        return { userId: m.userId, clerkUserId: m.clerkUserId, user: user ? userLabel(user) : null, role: m.role, joinedAt: m.joinedAt };
      }),
      pendingInvitations: pending.map((i) => ({ id: i.id, emailAddress: i.emailAddress, role: i.role, createdAt: i.createdAt })),
    };
  }
}
