import { Inject, Injectable } from '@nestjs/common';
import { Not, type EntityManager, type Repository } from 'typeorm';
import { CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { inTrackedTransaction, invalidateNowAndAfterCommit } from '../cache/after-commit.js';
import { fromCachedRow, toCachedRow } from '../cache/cached-row.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { AbstractClerkOrganization } from './abstract-clerk-organization.entity.js';
import type { AbstractClerkOrganizationMembership } from './abstract-clerk-organization-membership.entity.js';
import type { AbstractClerkOrganizationInvitation, ClerkInvitationStatus } from './abstract-clerk-organization-invitation.entity.js';
import type { ClerkOrganizationInvitationJson, ClerkOrganizationJson, ClerkOrganizationMembershipJson, ClerkPublicUserDataJson } from './clerk-organization-json.interface.js';
import { mapClerkInvitation, mapClerkMembership, mapClerkOrganization } from './organization.mapper.js';
import { CLERK_INVITATION_REPOSITORY, CLERK_MEMBERSHIP_REPOSITORY, CLERK_ORGANIZATION_REPOSITORY } from './organizations.constants.js';
import { membershipCacheKey, orgCacheKey, userMembershipsCacheKey } from '../cache/cache-keys.js';
import { entitySqlNames } from '../common/entity-sql-names.js';

/** What an upsert did; `stale`: older than the stored row, or the row was deleted in Clerk (final). */
export type ClerkOrgUpsertOutcome = 'created' | 'updated' | 'stale' | 'deleted';

const NEGATIVE_CACHE_TTL_MS = 30_000;

const isNewer = (stored: Date | null, incoming: Date | null): boolean => !stored || !incoming || incoming >= stored;

/**
 * Organizations, memberships and invitations from Clerk's JSON (one mapping, shared by webhooks and
 * the sync command), with the same ordering guard and final deletion as users, and the cached
 * lookups the per-request path uses.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    @Inject(CLERK_ORGANIZATION_REPOSITORY) readonly organizations: Repository<AbstractClerkOrganization>,
    @Inject(CLERK_MEMBERSHIP_REPOSITORY) readonly memberships: Repository<AbstractClerkOrganizationMembership>,
    @Inject(CLERK_INVITATION_REPOSITORY) readonly invitations: Repository<AbstractClerkOrganizationInvitation>,
    @Inject(CLERK_USER_REPOSITORY) private readonly users: Repository<AbstractClerkUser>,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly cache: ClerkCacheService,
  ) {}

  findByClerkId(clerkOrgId: string): Promise<AbstractClerkOrganization | null> {
    return this.organizations.findOne({ where: { clerkId: clerkOrgId } });
  }

  /** Active memberships of an organization. */
  membersOf(clerkOrgId: string): Promise<AbstractClerkOrganizationMembership[]> {
    return this.memberships.createQueryBuilder('m').where('m.clerkOrganizationId = :clerkOrgId AND m.clerkDeletedAt IS NULL', { clerkOrgId }).orderBy('m.joinedAt', 'ASC').getMany();
  }

  /** Active memberships of a user. */
  membershipsOfUser(clerkUserId: string): Promise<AbstractClerkOrganizationMembership[]> {
    return this.memberships.createQueryBuilder('m').where('m.clerkUserId = :clerkUserId AND m.clerkDeletedAt IS NULL', { clerkUserId }).orderBy('m.joinedAt', 'ASC').getMany();
  }

  /** Active organization by Clerk id, cached for `orgCacheTtlSeconds` (absence cached too). */
  async cachedActiveOrganization(clerkOrgId: string): Promise<AbstractClerkOrganization | null> {
    const key = orgCacheKey(clerkOrgId);
    const cached = await this.cache.get<{ row: Record<string, unknown> | null }>(key);
    if (cached) return cached.row ? fromCachedRow(this.organizations, cached.row) : null;
    const row = await this.organizations.findOne({ where: { clerkId: clerkOrgId, isActive: true } });
    await this.cache.set(key, { row: row && toCachedRow(this.organizations, row) }, this.ttlFor(row));
    return row;
  }

  /** Active membership of a user in an organization, cached for `orgCacheTtlSeconds` (absence cached too). */
  async cachedActiveMembership(clerkOrgId: string, clerkUserId: string): Promise<AbstractClerkOrganizationMembership | null> {
    const key = membershipCacheKey(clerkOrgId, clerkUserId);
    const cached = await this.cache.get<{ row: Record<string, unknown> | null }>(key);
    if (cached) return cached.row ? fromCachedRow(this.memberships, cached.row) : null;
    const row = await this.memberships
      .createQueryBuilder('m')
      .where('m.clerkOrganizationId = :clerkOrgId AND m.clerkUserId = :clerkUserId AND m.clerkDeletedAt IS NULL', { clerkOrgId, clerkUserId })
      .getOne();
    await this.cache.set(key, { row: row && toCachedRow(this.memberships, row) }, this.ttlFor(row));
    return row;
  }

  /**
   * Active memberships of a user, cached for `orgCacheTtlSeconds` under one key per user: what an
   * org id chosen by the client (`X-Organization-Id`) is looked up in, so no id a request names
   * gets a cache entry of its own.
   */
  async cachedActiveMembershipsOfUser(clerkUserId: string): Promise<AbstractClerkOrganizationMembership[]> {
    const key = userMembershipsCacheKey(clerkUserId);
    const cached = await this.cache.get<{ rows: Record<string, unknown>[] }>(key);
    if (cached && Array.isArray(cached.rows)) return cached.rows.map((row) => fromCachedRow(this.memberships, row));
    const rows = await this.membershipsOfUser(clerkUserId);
    await this.cache.set(key, { rows: rows.map((row) => toCachedRow(this.memberships, row)) }, this.ttlFor(rows.length ? rows : null));
    return rows;
  }

  /**
   * A miss is remembered briefly only: the token may name an org whose webhook has not arrived yet
   * (or was written by another process without a shared cache).
   */
  private ttlFor(row: unknown): number {
    const ttl = this.options.orgCacheTtlSeconds * 1000;
    return row ? ttl : Math.min(ttl, NEGATIVE_CACHE_TTL_MS);
  }

  /** Creates or updates an organization from Clerk's JSON; missing payload fields are kept. */
  upsertFromClerkOrganization(json: ClerkOrganizationJson, manager?: EntityManager) {
    return this.inTransaction(manager, async (em) => {
      const result = await this.upsertOrganizationIn(em, json);
      await this.drop(em, orgCacheKey(json.id));
      return result;
    });
  }

  /** Creates or updates a membership (and a missing organization or user) from Clerk's JSON; a missed `created` is repaired. */
  upsertMembershipFromClerk(json: ClerkOrganizationMembershipJson, manager?: EntityManager) {
    return this.inTransaction(manager, (em) => this.writeMembership(em, json, false));
  }

  /** Marks a membership deleted (final); a deletion that arrives first leaves a tombstone. */
  deleteMembershipFromClerk(json: ClerkOrganizationMembershipJson, manager?: EntityManager) {
    return this.inTransaction(manager, (em) => this.writeMembership(em, json, true));
  }

  /** `organization.deleted`: deactivate for good and take its memberships out of the active set. */
  deleteOrganization(clerkOrgId: string, manager?: EntityManager): Promise<void> {
    return this.inTransaction(manager, async (em) => {
      const organizations = em.getRepository(this.organizations.target);
      const existing = await organizations.findOne({ where: { clerkId: clerkOrgId } });
      if (existing) await organizations.update({ id: existing.id }, { isActive: false, clerkDeletedAt: () => 'now()', membersCount: 0 });
      else await organizations.createQueryBuilder().insert().values({ clerkId: clerkOrgId, isActive: false, clerkDeletedAt: () => 'now()' }).orIgnore().execute();
      const removed = await this.softDeleteMemberships(em, 'clerkOrganizationId', clerkOrgId);
      await this.drop(em, orgCacheKey(clerkOrgId));
      await Promise.all(removed.flatMap((m) => [this.drop(em, membershipCacheKey(m.clerkOrganizationId, m.clerkUserId)), this.drop(em, userMembershipsCacheKey(m.clerkUserId))]));
    });
  }

  /** `user.deleted`: the user's memberships leave the active set; member counts follow. */
  removeUserMemberships(clerkUserId: string, manager?: EntityManager): Promise<void> {
    return this.inTransaction(manager, async (em) => {
      const removed = await this.softDeleteMemberships(em, 'clerkUserId', clerkUserId);
      for (const organizationId of new Set(removed.map((m) => m.organizationId))) await this.recount(em, organizationId);
      await Promise.all(removed.flatMap((m) => [this.drop(em, membershipCacheKey(m.clerkOrganizationId, m.clerkUserId)), this.drop(em, orgCacheKey(m.clerkOrganizationId))]));
      await this.drop(em, userMembershipsCacheKey(clerkUserId));
    });
  }

  /**
   * Creates or updates an invitation; `status` is the event's verdict (accepted, revoked, expired).
   * An accepted payload's `user_id` links the accepting user (a minimal local row is created when
   * missing, like a membership's); once set, the link is kept by later events.
   */
  upsertInvitationFromClerk(json: ClerkOrganizationInvitationJson, status?: ClerkInvitationStatus, manager?: EntityManager) {
    return this.inTransaction(manager, async (em) => {
      const mapped = mapClerkInvitation(json, status);
      const organization = await this.ensureOrganization(em, { id: mapped.clerkOrganizationId });
      const invitations = em.getRepository(this.invitations.target);
      const existing = await invitations.findOne({ where: { clerkInvitationId: mapped.clerkInvitationId }, lock: { mode: 'pessimistic_write' } });
      // A settled invitation never goes back to pending, whatever order events arrive in.
      if (existing && (existing.status !== 'pending' && mapped.status === 'pending')) return { invitation: existing, outcome: 'stale' as ClerkOrgUpsertOutcome };
      const inviter = mapped.inviterClerkUserId ? await em.getRepository(this.users.target).findOne({ where: { clerkId: mapped.inviterClerkUserId } }) : null;
      const acceptedUserId = mapped.acceptedClerkUserId ? await this.ensureUser(em, { user_id: mapped.acceptedClerkUserId }) : null;
      const values = {
        organizationId: organization.id,
        emailAddress: mapped.emailAddress,
        role: mapped.role,
        status: mapped.status,
        inviterUserId: inviter?.id ?? existing?.inviterUserId ?? null,
        acceptedClerkUserId: mapped.acceptedClerkUserId ?? existing?.acceptedClerkUserId ?? null,
        acceptedUserId: acceptedUserId ?? existing?.acceptedUserId ?? null,
        clerkUpdatedAt: mapped.clerkUpdatedAt,
      };
      const invitation = existing ? invitations.merge(existing, values) : invitations.create({ clerkInvitationId: mapped.clerkInvitationId, ...values });
      const saved = await invitations.save(invitation);
      await this.recount(em, organization.id);
      await this.drop(em, orgCacheKey(mapped.clerkOrganizationId));
      return { invitation: saved, outcome: (existing ? 'updated' : 'created') as ClerkOrgUpsertOutcome };
    });
  }

  private async writeMembership(em: EntityManager, json: ClerkOrganizationMembershipJson, deleted: boolean) {
    const mapped = mapClerkMembership(json);
    const organization = await this.ensureOrganization(em, json.organization);
    const userId = await this.ensureUser(em, json.public_user_data);
    // Deletions are final: an event for a deleted organization or user leaves a tombstone, never an active membership.
    const gone = !deleted && (!!organization.clerkDeletedAt || (await this.isDeletedUser(em, userId)));
    const tombstone = deleted || gone;
    const memberships = em.getRepository(this.memberships.target);
    const existing = await memberships.findOne({ where: { clerkMembershipId: mapped.clerkMembershipId }, lock: { mode: 'pessimistic_write' } });
    let outcome: ClerkOrgUpsertOutcome;
    let membership: AbstractClerkOrganizationMembership;
    if (existing && (existing.clerkDeletedAt || (!tombstone && !isNewer(existing.clerkUpdatedAt, mapped.clerkUpdatedAt)))) {
      return { membership: existing, outcome: 'stale' as ClerkOrgUpsertOutcome };
    }
    const values = { ...mapped, organizationId: organization.id, userId, clerkDeletedAt: tombstone ? new Date() : null };
    if (!tombstone) {
      // The same person under a new membership id (left and re-joined): the old one is over.
      await memberships
        .createQueryBuilder()
        .update()
        .set({ clerkDeletedAt: () => 'now()' })
        .where('"organizationId" = :org AND "userId" = :user AND "clerkDeletedAt" IS NULL AND "clerkMembershipId" <> :id', { org: organization.id, user: userId, id: mapped.clerkMembershipId })
        .execute();
    }
    if (existing) {
      membership = await memberships.save(memberships.merge(existing, values));
      outcome = deleted ? 'deleted' : 'updated';
    } else {
      membership = await memberships.save(memberships.create(values));
      outcome = deleted ? 'deleted' : 'created';
    }
    if (gone) outcome = 'stale';
    await this.recount(em, organization.id);
    await Promise.all([
      this.drop(em, membershipCacheKey(mapped.clerkOrganizationId, mapped.clerkUserId)),
      this.drop(em, userMembershipsCacheKey(mapped.clerkUserId)),
      this.drop(em, orgCacheKey(mapped.clerkOrganizationId)),
    ]);
    return { membership, outcome };
  }

  /**
   * Whether the user row is a deletion (final). The shared lock makes a concurrent `user.deleted`
   * wait for this membership, whose removal it then sees, or this membership wait for the deletion.
   */
  private async isDeletedUser(em: EntityManager, userId: string): Promise<boolean> {
    const user = await em.getRepository(this.users.target).findOne({ where: { id: userId } as never, select: { id: true, clerkDeletedAt: true } as never, lock: { mode: 'pessimistic_read' } });
    return !!user?.clerkDeletedAt;
  }

  private async upsertOrganizationIn(em: EntityManager, json: ClerkOrganizationJson): Promise<{ organization: AbstractClerkOrganization; outcome: ClerkOrgUpsertOutcome }> {
    const mapped = mapClerkOrganization(json) as Partial<AbstractClerkOrganization> & { clerkId: string };
    const organizations = em.getRepository(this.organizations.target);
    const existing = await organizations.findOne({ where: { clerkId: mapped.clerkId }, lock: { mode: 'pessimistic_write' } });
    if (existing && (existing.clerkDeletedAt || !isNewer(existing.clerkUpdatedAt, mapped.clerkUpdatedAt ?? null))) return { organization: existing, outcome: 'stale' };
    if (mapped.slug) {
      // Slugs are unique and can move between organizations: the newer owner takes it.
      await organizations.createQueryBuilder().update().set({ slug: null }).where({ slug: mapped.slug, clerkId: Not(mapped.clerkId) } as never).execute();
    }
    const organization = await organizations.save(existing ? organizations.merge(existing, mapped) : organizations.create(mapped));
    return { organization, outcome: existing ? 'updated' : 'created' };
  }

  /** The local organization row, created from the (possibly partial) JSON when missing. */
  private async ensureOrganization(em: EntityManager, json: ClerkOrganizationJson | { id: string }): Promise<AbstractClerkOrganization> {
    const organizations = em.getRepository(this.organizations.target);
    const existing = await organizations.findOne({ where: { clerkId: json.id } });
    if (existing) return existing;
    await organizations.createQueryBuilder().insert().values(mapClerkOrganization({ ...json, updated_at: undefined }) as never).orIgnore().execute();
    await this.drop(em, orgCacheKey(json.id));
    return organizations.findOneOrFail({ where: { clerkId: json.id } });
  }

  /** The local user id of a Clerk user, creating a minimal row from `public_user_data` (or just the id) when missing. */
  private async ensureUser(em: EntityManager, data: ClerkPublicUserDataJson): Promise<string> {
    const users = em.getRepository(this.users.target);
    const existing = await users.findOne({ where: { clerkId: data.user_id } as never, select: { id: true } as never });
    if (existing) return existing.id;
    await users
      .createQueryBuilder()
      .insert()
      .values({ clerkId: data.user_id, firstName: data.first_name ?? '', lastName: data.last_name ?? '', imageUrl: data.image_url ?? '' } as never)
      .orIgnore()
      .execute();
    const created = await users.findOneOrFail({ where: { clerkId: data.user_id } as never, select: { id: true } as never });
    return created.id;
  }

  private async softDeleteMemberships(em: EntityManager, column: 'clerkOrganizationId' | 'clerkUserId', value: string): Promise<AbstractClerkOrganizationMembership[]> {
    const memberships = em.getRepository(this.memberships.target);
    const active = await memberships.createQueryBuilder('m').where(`m.${column} = :value AND m.clerkDeletedAt IS NULL`, { value }).getMany();
    if (active.length) await memberships.createQueryBuilder().update().set({ clerkDeletedAt: () => 'now()' }).whereInIds(active.map((m) => m.id)).execute();
    return active;
  }

  /** Counts are derived from the rows, so they stay right whatever order events arrive in. */
  private async recount(em: EntityManager, organizationId: string): Promise<void> {
    // Names as the DataSource has them (naming strategy, schema), not the entity's property names.
    const member = entitySqlNames(em.getRepository(this.memberships.target).metadata, ['organizationId', 'clerkDeletedAt'], 'membership entities must extend AbstractClerkOrganizationMembership');
    const invitation = entitySqlNames(em.getRepository(this.invitations.target).metadata, ['organizationId', 'status'], 'invitation entities must extend AbstractClerkOrganizationInvitation');
    await em
      .getRepository(this.organizations.target)
      .createQueryBuilder()
      .update()
      .set({
        membersCount: () => `(SELECT count(*) FROM ${member.table} m WHERE m.${member.column('organizationId')} = :organizationId AND m.${member.column('clerkDeletedAt')} IS NULL)`,
        pendingInvitationsCount: () => `(SELECT count(*) FROM ${invitation.table} i WHERE i.${invitation.column('organizationId')} = :organizationId AND i.${invitation.column('status')} = 'pending')`,
      })
      .where({ id: organizationId })
      .setParameters({ organizationId })
      .execute();
  }

  /** Cache invalidation that also runs after the surrounding (webhook) transaction commits. */
  private drop(em: EntityManager, key: string): Promise<void> {
    return invalidateNowAndAfterCommit(em, () => this.cache.delete(key));
  }

  /**
   * In the caller's transaction (a webhook's), or in one of its own whose cache invalidations run
   * again once it committed: another instance reading between the two would cache the old rows.
   */
  private inTransaction<R>(manager: EntityManager | undefined, work: (em: EntityManager) => Promise<R>): Promise<R> {
    return manager ? work(manager) : inTrackedTransaction(this.organizations.manager, work);
  }
}
