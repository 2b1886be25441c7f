import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager, EntityMetadata, Repository } from 'typeorm';
import { CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { userCacheKey } from '../cache/cache-keys.js';
import { invalidateNowAndAfterCommit } from '../cache/after-commit.js';
import { sameValue } from '../common/same-value.js';
import { isUniqueViolation } from '../common/unique-violation.js';
import type { AbstractClerkUser } from './abstract-clerk-user.entity.js';
import type { ClerkUserJson } from './clerk-user-json.interface.js';
import { mapClerkUser, type MappedClerkUser, mapSessionClaims } from './clerk-user.mapper.js';
import { isUuid } from '../common/uuid.js';
import { clerkUserUpsertSql, type ClerkUserUpsertSql } from './clerk-user-upsert.sql.js';
import { unusedGeneratedUsername } from './username-generator.js';

/** What `upsertFromClerkUser` did. `stale`: the row already holds newer Clerk data. */
export type ClerkUserUpsertOutcome = 'created' | 'linked' | 'updated' | 'unchanged' | 'stale';

export interface ClerkUserUpsertResult<T extends AbstractClerkUser = AbstractClerkUser> {
  user: T;
  outcome: ClerkUserUpsertOutcome;
}

const SYNCED_FIELDS = ['email', 'username', 'firstName', 'lastName', 'imageUrl', 'publicMetadata', 'isActive', 'lastLogin', 'clerkUpdatedAt'] as const;

/** The base entity's own listener (lower-cases the email, which the mapping already did). */
const BASE_LISTENERS = new Set(['normaliseEmail']);

/**
 * Whether a set-based INSERT … ON CONFLICT writes the same row as `repository.save()` would: the
 * entity runs no code of its own on insert or update (listener, subscriber, version column, field
 * initialiser), so its other columns take their database defaults either way.
 */
function writesLikeSave(metadata: EntityMetadata): boolean {
  const target = metadata.target;
  if (typeof target !== 'function' || metadata.versionColumn) return false;
  if (metadata.listeners.some((listener) => !BASE_LISTENERS.has(listener.propertyName))) return false;
  const listensHere = (listenTo: unknown) => !listenTo || listenTo === Object || listenTo === target || (typeof listenTo === 'function' && Object.prototype.isPrototypeOf.call(listenTo, target));
  if (metadata.connection.subscribers.some((subscriber) => listensHere(subscriber.listenTo?.()))) return false;
  const blank = new (target as new () => object)();
  return Object.values(blank).every((value) => value === undefined);
}

/** Local users keyed by Clerk id: lookup, the one upsert from Clerk's JSON, deactivation, cache invalidation. */
@Injectable()
export class ClerkUsersService<T extends AbstractClerkUser = AbstractClerkUser> {
  private readonly logger = new Logger('ClerkUsersService');
  private setBased: ClerkUserUpsertSql | null | undefined;

  constructor(
    @Inject(CLERK_USER_REPOSITORY) readonly repository: Repository<T>,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly cache: ClerkCacheService,
  ) {}

  findByClerkId(clerkId: string): Promise<T | null> {
    return this.repository.findOne({ where: { clerkId } as never });
  }

  /** The row of a user known only from a verified token: inserted unless it exists (never linked), then read back. */
  async createFromSessionClaims(clerkId: string, claims: Record<string, unknown>): Promise<T | null> {
    await this.repository.createQueryBuilder().insert().values(mapSessionClaims(clerkId, claims) as never).orIgnore().execute();
    return this.findByClerkId(clerkId);
  }

  /**
   * Creates or updates the local row for a Clerk user from Clerk's JSON, in one transaction.
   * Never overwrites newer data (`clerkUpdatedAt`), links an existing row only on a verified
   * primary email and only when that row allows it (`canBeLinkedToClerk()`).
   * Pass `manager` to join a surrounding transaction.
   */
  async upsertFromClerkUser(json: ClerkUserJson, manager?: EntityManager): Promise<ClerkUserUpsertResult<T>> {
    const mapped = mapClerkUser(json);
    const released: string[] = [];
    const run = (em: EntityManager) => this.upsertIn(em, mapped, released);
    let result: ClerkUserUpsertResult<T>;
    try {
      result = manager ? await run(manager) : await this.repository.manager.transaction(run);
    } catch (error) {
      // Two first requests of one user raced on the insert: the other one won, update its row.
      if (manager || !isUniqueViolation(error)) throw error;
      result = await this.repository.manager.transaction(run);
    }
    await Promise.all([mapped.clerkId, ...released].map((id) => invalidateNowAndAfterCommit(manager, () => this.invalidate(id))));
    return result;
  }

  /**
   * The set-based upsert SQL of the user entity (shared by the batched sync and the webhooks' one-
   * statement path), or `null` when the entity runs code of its own on save, so only
   * `upsertFromClerkUser` writes it faithfully. The SQL covers rows whose email and username no
   * other row holds; the caller sends the others through `upsertFromClerkUser` (linking rules).
   */
  setBasedUpsertSql(): ClerkUserUpsertSql | null {
    if (this.setBased === undefined) this.setBased = writesLikeSave(this.repository.metadata) ? clerkUserUpsertSql(this.repository.metadata) : null;
    return this.setBased;
  }

  /** Marks the user inactive (e.g. deleted or banned in Clerk). Returns `false` when there is no such row. */
  async deactivate(clerkId: string, manager?: EntityManager): Promise<boolean> {
    const repository = manager ? manager.getRepository<T>(this.repository.target) : this.repository;
    const result = await repository.update({ clerkId } as never, { isActive: false } as never);
    await invalidateNowAndAfterCommit(manager, () => this.invalidate(clerkId));
    return (result.affected ?? 0) > 0;
  }

  /**
   * Clerk deleted the user: deactivate the row for good (`clerkDeletedAt`), or leave a tombstone
   * when the deletion arrives before the creation, so a late `user.created`/`user.updated` cannot
   * bring it back.
   */
  async markDeleted(clerkId: string, manager?: EntityManager): Promise<void> {
    const em = manager ?? this.repository.manager;
    await em.query(clerkUserUpsertSql(this.repository.metadata).markDeleted('$1'), [clerkId]);
    await invalidateNowAndAfterCommit(manager, () => this.invalidate(clerkId));
  }

  /** Drops the cached row of a Clerk user; the next request reads the database. */
  invalidate(clerkId: string): Promise<void> {
    return this.cache.delete(userCacheKey(clerkId));
  }

  private async upsertIn(em: EntityManager, mapped: MappedClerkUser, released: string[]): Promise<ClerkUserUpsertResult<T>> {
    const repository = em.getRepository<T>(this.repository.target);
    let existing = await repository.findOne({ where: { clerkId: mapped.clerkId } as never, lock: { mode: 'pessimistic_write' } });
    if (!existing) {
      // Two first events (or requests) for one user: serialise them on the Clerk id, so the second
      // one sees the row the first created instead of failing on the unique index.
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [mapped.clerkId]);
      existing = await repository.findOne({ where: { clerkId: mapped.clerkId } as never, lock: { mode: 'pessimistic_write' } });
    }
    if (existing) {
      if (existing.clerkDeletedAt || (existing.clerkUpdatedAt && mapped.clerkUpdatedAt && existing.clerkUpdatedAt > mapped.clerkUpdatedAt)) {
        return { user: existing, outcome: 'stale' };
      }
      const changed = await this.apply(repository, existing, mapped, released);
      if (!changed.length) return { user: existing, outcome: 'unchanged' };
      // Only the changed columns, in one UPDATE (save() would read the row again first).
      await repository.update({ id: existing.id } as never, Object.fromEntries(changed.map((field) => [field, existing[field]])) as never);
      return { user: existing, outcome: 'updated' };
    }

    const migrated = await this.migratedRow(repository, mapped);
    if (migrated) {
      migrated.clerkId = mapped.clerkId;
      await this.apply(repository, migrated, mapped, released);
      return { user: await repository.save(migrated), outcome: 'linked' };
    }
    // passwordHash is not selected by default (never cached or serialised), but linking must see it.
    const candidate = mapped.email
      ? await repository.createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email', { email: mapped.email }).setLock('pessimistic_write').getOne()
      : null;
    if (candidate && this.mayLink(candidate, mapped)) {
      candidate.clerkId = mapped.clerkId;
      await this.apply(repository, candidate, mapped, released);
      return { user: await repository.save(candidate), outcome: 'linked' };
    }
    const user = repository.create();
    user.clerkId = mapped.clerkId;
    await this.apply(repository, user, mapped, released);
    return { user: await repository.save(user), outcome: 'created' };
  }

  /**
   * The unlinked local row a Clerk user was created from by `migrate-users-to-clerk` (`external_id` =
   * the row's id). Only the Backend API can set `external_id`, so this link needs no verified email:
   * it lets Clerk's `user.created` webhook arrive before the migration links the row itself.
   */
  private async migratedRow(repository: Repository<T>, mapped: MappedClerkUser): Promise<T | null> {
    // Local ids are UUIDs: any other `external_id` names no row of this table.
    if (!mapped.externalId || !isUuid(mapped.externalId)) return null;
    const row = await repository.findOne({ where: { id: mapped.externalId } as never, lock: { mode: 'pessimistic_write' } });
    return row && !row.clerkId && !row.clerkDeletedAt ? row : null;
  }

  private mayLink(row: T, mapped: MappedClerkUser): boolean {
    return this.options.linkExistingUsersByEmail && mapped.emailVerified && row.isActive && row.canBeLinkedToClerk();
  }

  /** Copies mapped fields onto `user`, resolving email/username clashes; returns the fields that changed. */
  private async apply(repository: Repository<T>, user: T, mapped: MappedClerkUser, released: string[]): Promise<Array<(typeof SYNCED_FIELDS)[number]>> {
    const next: Partial<Record<(typeof SYNCED_FIELDS)[number], unknown>> = {
      ...mapped,
      email: await this.claimUnique(repository, user, 'email', mapped.email, released),
      // Clerk sent no username: the stored one stays; a row without one gets a generated one (`autoGenerateUsername`).
      username: mapped.username === null ? user.username ?? (await unusedGeneratedUsername(repository)) : await this.claimUnique(repository, user, 'username', mapped.username, released),
      lastLogin: mapped.lastLogin ?? user.lastLogin ?? null,
      clerkUpdatedAt: mapped.clerkUpdatedAt ?? user.clerkUpdatedAt ?? null,
    };
    const changed: Array<(typeof SYNCED_FIELDS)[number]> = [];
    for (const field of SYNCED_FIELDS) {
      if (!sameValue(user[field], next[field])) {
        (user as Record<string, unknown>)[field] = next[field];
        changed.push(field);
      }
    }
    return changed;
  }

  /**
   * Clerk is the source of truth for Clerk-linked rows: a stale Clerk-linked holder of the value gives
   * it up. A local-only account (no `clerkId`) keeps it, and the Clerk user goes without.
   */
  private async claimUnique(repository: Repository<T>, user: T, field: 'email' | 'username', value: string | null, released: string[]): Promise<string | null> {
    if (value === null || user[field] === value) return value;
    const holder = await repository.findOne({ where: { [field]: value } as never, lock: { mode: 'pessimistic_write' } });
    if (!holder || (user.id !== undefined && holder.id === user.id)) return value;
    if (holder.clerkId && holder.clerkId !== user.clerkId) {
      await repository.update({ id: holder.id } as never, { [field]: null } as never);
      released.push(holder.clerkId);
      return value;
    }
    this.logger.warn(`${field} of Clerk user ${user.clerkId ?? ''} is held by a local account that cannot be linked; stored without it`);
    return null;
  }
}
