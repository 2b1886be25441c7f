import { Inject, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityMetadata, type Repository } from 'typeorm';
import { CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkDeletableRow, ClerkMirroredRow } from '../common/clerk-mirrored-row.entity.js';
import { CLERK_MEMBERSHIP_REPOSITORY, CLERK_ORGANIZATION_REPOSITORY } from '../organizations/organizations.constants.js';
import type { AbstractClerkOrganizationMembership } from '../organizations/abstract-clerk-organization-membership.entity.js';
import type { AbstractClerkOrganization } from '../organizations/abstract-clerk-organization.entity.js';
import { ClerkWebhookEventRecord } from '../webhooks/clerk-webhook-event-record.entity.js';

/** A membership as the user's detail shows it. */
export interface ConsoleUserMembership {
  organizationId: string;
  clerkOrganizationId: string;
  name: string | null;
  slug: string | null;
  role: string;
  joinedAt: Date | null;
}

/** A webhook event about the user, as the user's detail shows it (never the payload). */
export interface ConsoleUserWebhookEvent {
  svixId: string;
  type: string;
  receivedAt: Date;
  processedAt: Date | null;
  attempts: number;
  lastError: string | null;
}

/** How many of the user's latest webhook events the detail shows. */
export const CONSOLE_USER_WEBHOOK_EVENTS = 10;

/** `GET <path>/api/users/:id`. */
export interface ConsoleUserDetail {
  /** Every column of the row by property name (the app's own columns included), never the password hash. */
  user: Record<string, unknown>;
  /** Properties the app's entity adds to `AbstractClerkUser`. */
  extraColumns: string[];
  /** With `OrganizationsModule`: the user's current memberships; `null` without it. */
  memberships: ConsoleUserMembership[] | null;
  /**
   * The last `CONSOLE_USER_WEBHOOK_EVENTS` webhook events about the user's Clerk id, newest first
   * (`clerk_webhook_events.clerk_user_id`); empty without a Clerk id.
   */
  webhookEvents: ConsoleUserWebhookEvent[];
}

const BASE_CLASSES: readonly unknown[] = [AbstractClerkUser, ClerkDeletableRow, ClerkMirroredRow];

/** Columns a row may show: everything selectable (the password hash is `select: false`). */
export function visibleColumns(metadata: EntityMetadata) {
  return metadata.columns.filter((column) => column.isSelect);
}

/** A user's row (all its columns), its extra columns, its memberships and its latest webhook events. */
@Injectable()
export class ConsoleUserDetailQuery {
  constructor(
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
    @InjectRepository(ClerkWebhookEventRecord) private readonly events: Repository<ClerkWebhookEventRecord>,
    @Optional() @Inject(CLERK_MEMBERSHIP_REPOSITORY) private readonly memberships?: Repository<AbstractClerkOrganizationMembership>,
    @Optional() @Inject(CLERK_ORGANIZATION_REPOSITORY) private readonly organizations?: Repository<AbstractClerkOrganization>,
  ) {}

  async find(id: string): Promise<ConsoleUserDetail> {
    const user = await this.repository.findOne({ where: { id } });
    if (!user) throw new NotFoundException('No such user');
    const columns = visibleColumns(this.repository.metadata);
    const [memberships, webhookEvents] = await Promise.all([this.membershipsOf(id), this.webhookEventsOf(user.clerkId)]);
    return {
      user: Object.fromEntries(columns.map((column) => [column.propertyName, column.getEntityValue(user)])),
      extraColumns: columns.filter((column) => !BASE_CLASSES.includes(column.target)).map((column) => column.propertyName),
      memberships,
      webhookEvents,
    };
  }

  /** One query over the (clerk_user_id, received_at) index; svix id breaks ties of one batch's `received_at`. */
  private async webhookEventsOf(clerkId: string | null): Promise<ConsoleUserWebhookEvent[]> {
    if (!clerkId) return [];
    return this.events.find({
      select: { svixId: true, type: true, receivedAt: true, processedAt: true, attempts: true, lastError: true },
      where: { clerkUserId: clerkId },
      order: { receivedAt: 'DESC', svixId: 'DESC' },
      take: CONSOLE_USER_WEBHOOK_EVENTS,
    });
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
