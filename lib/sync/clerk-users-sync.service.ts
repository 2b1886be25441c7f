import { Inject, Injectable } from '@nestjs/common';
import type { ClerkClient } from '@clerk/backend';
import { In, type EntityManager, type Repository } from 'typeorm';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkUserJson } from '../users/clerk-user-json.interface.js';
import { mapClerkUser, type MappedClerkUser } from '../users/clerk-user.mapper.js';
import { ClerkUsersService } from '../users/clerk-users.service.js';
import { sameValue } from '../common/same-value.js';
import { clerkUserUpsertSql, UPSERTED_USER_COLUMNS } from '../users/clerk-user-upsert.sql.js';
import type { RetryPolicy } from './clerk-api-retry.js';
import { callClerkApi, isFatalClerkApiFailure } from './clerk-api-failure.js';
import { emptySummary, silentReporter, SyncUsageError, type SyncReporter, type SyncSummary } from './sync-report.js';
import { runPaged } from './paged-runner.js';
import { inTrackedTransaction } from '../cache/after-commit.js';
import { recordSyncProgress } from '../metrics/clerk-metrics.js';

/** Options of a user sync (the `sync-clerk-users` flags). */
export interface UserSyncOptions {
  all?: boolean;
  /** Page size, 1–500. Default 100. */
  limit?: number;
  offset?: number;
  dryRun?: boolean;
  deactivateMissing?: boolean;
  /** Pages fetched and written at once. Default 4. */
  concurrency?: number;
  retry?: RetryPolicy;
  reporter?: SyncReporter;
}

const SYNCED = UPSERTED_USER_COLUMNS;
type SyncedColumn = (typeof SYNCED)[number];
type Row = Pick<AbstractClerkUser, SyncedColumn | 'id' | 'clerkDeletedAt'>;

export function validatePaging(options: { limit?: number; offset?: number; concurrency?: number }): { limit: number; offset: number; concurrency: number } {
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new SyncUsageError('--limit must be a whole number from 1 to 500');
  if (!Number.isInteger(offset) || offset < 0) throw new SyncUsageError('--offset must be zero or greater');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new SyncUsageError('--concurrency must be from 1 to 16');
  return { limit, offset, concurrency };
}

/**
 * Pages through Clerk's users and writes each page with one batched upsert, through the same
 * mapping and ordering guard as webhooks. Rows that need the careful path (an email or username held
 * by another row: linking rules) go through `ClerkUsersService.upsertFromClerkUser` one by one.
 */
@Injectable()
export class ClerkUsersSync {
  constructor(
    @Inject(CLERK_CLIENT) private readonly clerk: ClerkClient,
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly users: ClerkUsersService,
  ) {}

  async run(options: UserSyncOptions = {}): Promise<SyncSummary> {
    if (!this.options.secretKey) throw new SyncUsageError('CLERK_SECRET_KEY (option "secretKey") is not set: the sync reads the Clerk Backend API');
    const paging = validatePaging(options);
    if (options.deactivateMissing && !(options.all && paging.offset === 0)) {
      throw new SyncUsageError('--deactivate-missing needs --all from offset 0: only a complete listing shows who Clerk no longer has');
    }
    const reporter = options.reporter ?? silentReporter;
    const summary = emptySummary();
    const seen = new Set<string>();
    const complete = await runPaged({
      ...paging,
      all: options.all ?? false,
      fetch: (limit, offset) =>
        callClerkApi(() => this.clerk.users.getUserList({ limit, offset, orderBy: '+created_at' }), options.retry, this.options.apiUrl).then((page) => ({
          items: page.data.map((user) => user.raw as unknown as ClerkUserJson),
          total: page.totalCount,
        })),
      handle: async (items) => {
        for (const item of items) if (typeof item?.id === 'string') seen.add(item.id);
        await this.writePage(items, summary, options.dryRun ?? false, reporter);
        summary.total += items.length;
        recordSyncProgress('users', items.length);
      },
      onPageFailed: (offset, error) => reporter.line(`page at offset ${offset} failed: ${(error as Error).message}`),
      isFatal: isFatalClerkApiFailure,
      reporter,
    });
    if (!complete) summary.failed += 1;
    if (options.deactivateMissing) {
      if (complete) summary.deactivated = await this.deactivateMissing(seen, options.dryRun ?? false, reporter);
      else reporter.line('not deactivating anyone: the listing was incomplete');
    }
    return summary;
  }

  private async writePage(items: ClerkUserJson[], summary: SyncSummary, dryRun: boolean, reporter: SyncReporter): Promise<void> {
    const mapped: MappedClerkUser[] = [];
    const byId = new Map<string, ClerkUserJson>();
    for (const item of items) {
      try {
        const row = mapClerkUser(item);
        mapped.push(row);
        byId.set(row.clerkId, item);
      } catch (error) {
        summary.failed++;
        reporter.line(`failed: ${String((item as { id?: unknown })?.id ?? '?')}: ${(error as Error).message}`);
      }
    }
    if (!mapped.length) return;
    try {
      // Tracked: the careful path's invalidations (rows whose email a link released) run again after commit.
      await inTrackedTransaction(this.repository.manager, async (em) => {
        const plan = await this.plan(em, mapped);
        if (dryRun) return this.reportPlan(plan, summary, reporter);
        if (plan.writes.length) await this.batchUpsert(em, plan.writes);
        for (const row of plan.careful) {
          const { outcome } = await this.users.upsertFromClerkUser(byId.get(row.clerkId)!, em);
          this.count(summary, outcome === 'created' || outcome === 'linked' ? 'created' : outcome === 'updated' ? 'updated' : 'unchanged');
        }
        summary.created += plan.writes.filter((w) => w.isNew).length;
        summary.updated += plan.writes.filter((w) => !w.isNew).length;
        summary.unchanged += plan.unchanged;
      });
      if (!dryRun) await Promise.all(mapped.map((row) => this.users.invalidate(row.clerkId)));
    } catch (error) {
      // A batch can fail on a race (a webhook wrote the same email meanwhile): isolate row by row.
      if (dryRun) throw error;
      for (const row of mapped) {
        try {
          const { outcome } = await this.users.upsertFromClerkUser(byId.get(row.clerkId)!);
          this.count(summary, outcome === 'created' || outcome === 'linked' ? 'created' : outcome === 'updated' ? 'updated' : 'unchanged');
        } catch (rowError) {
          summary.failed++;
          reporter.line(`failed: ${row.clerkId}: ${(rowError as Error).message}`);
        }
      }
    }
  }

  private count(summary: SyncSummary, outcome: 'created' | 'updated' | 'unchanged'): void {
    summary[outcome]++;
  }

  private async plan(em: EntityManager, mapped: MappedClerkUser[]) {
    const repository = em.getRepository(this.repository.target);
    const emails = mapped.map((m) => m.email).filter((e): e is string => !!e);
    const usernames = mapped.map((m) => m.username).filter((u): u is string => !!u);
    const rows = (await repository
      .createQueryBuilder('u')
      .select(['u.id', 'u.clerkDeletedAt', ...SYNCED.map((c) => `u.${c}`)])
      .where('u.clerkId IN (:...ids)', { ids: mapped.map((m) => m.clerkId) })
      .orWhere(emails.length ? 'u.email IN (:...emails)' : '1=0', { emails })
      .orWhere(usernames.length ? 'u.username IN (:...usernames)' : '1=0', { usernames })
      .getMany()) as Row[];
    const byClerkId = new Map(rows.filter((r) => r.clerkId).map((r) => [r.clerkId as string, r]));
    const byEmail = new Map(rows.filter((r) => r.email).map((r) => [r.email as string, r]));
    const byUsername = new Map(rows.filter((r) => r.username).map((r) => [r.username as string, r]));
    const writes: Array<Record<SyncedColumn, unknown> & { isNew: boolean; changed: string[] }> = [];
    const careful: MappedClerkUser[] = [];
    let unchanged = 0;
    for (const m of mapped) {
      const existing = byClerkId.get(m.clerkId);
      const emailHolder = m.email ? byEmail.get(m.email) : undefined;
      const usernameHolder = m.username ? byUsername.get(m.username) : undefined;
      if ((emailHolder && emailHolder.clerkId !== m.clerkId) || (usernameHolder && usernameHolder.clerkId !== m.clerkId)) {
        careful.push(m);
        continue;
      }
      if (!existing) {
        writes.push({ ...pick(m), isNew: true, changed: [] });
        continue;
      }
      if (existing.clerkDeletedAt || (existing.clerkUpdatedAt && m.clerkUpdatedAt && existing.clerkUpdatedAt > m.clerkUpdatedAt)) {
        unchanged++;
        continue;
      }
      const next = { ...pick(m), username: m.username ?? existing.username, lastLogin: m.lastLogin ?? existing.lastLogin, clerkUpdatedAt: m.clerkUpdatedAt ?? existing.clerkUpdatedAt };
      const changed = SYNCED.filter((c) => !sameValue(existing[c], next[c]));
      if (changed.length) writes.push({ ...next, isNew: false, changed });
      else unchanged++;
    }
    return { writes, careful, unchanged };
  }

  private reportPlan(plan: Awaited<ReturnType<ClerkUsersSync['plan']>>, summary: SyncSummary, reporter: SyncReporter): void {
    for (const write of plan.writes) {
      reporter.line(write.isNew ? `would create ${String(write.clerkId)} ${String(write.email ?? '')}`.trim() : `would update ${String(write.clerkId)} (${write.changed.join(', ')})`);
      summary[write.isNew ? 'created' : 'updated']++;
    }
    for (const row of plan.careful) {
      reporter.line(`would create or link ${row.clerkId} ${row.email ?? ''} (email or username held by another row)`.trim());
      summary.created++;
    }
    summary.unchanged += plan.unchanged;
  }

  /** One INSERT … ON CONFLICT for the page, guarded like the webhooks: never older data, never a deleted user. */
  private async batchUpsert(em: EntityManager, writes: Array<Record<SyncedColumn, unknown>>): Promise<void> {
    const sql = clerkUserUpsertSql(em.getRepository(this.repository.target).metadata);
    await em.query(sql.upsert(sql.recordset('$1')), [sql.payload(writes)]);
  }

  private async deactivateMissing(seen: Set<string>, dryRun: boolean, reporter: SyncReporter): Promise<number> {
    const metadata = this.repository.metadata;
    const query = this.repository
      .createQueryBuilder('u')
      .select(['u.clerkId'])
      .where('u.clerkId IS NOT NULL AND u.isActive = true AND u.clerkDeletedAt IS NULL')
      .andWhere('NOT (u.clerkId = ANY(:seen))', { seen: [...seen] });
    const missing = (await query.getMany()).map((u) => u.clerkId as string);
    for (const clerkId of missing) reporter.line(`${dryRun ? 'would deactivate' : 'deactivated'} ${clerkId} (not in Clerk)`);
    if (!dryRun && missing.length) {
      await this.repository.createQueryBuilder().update(metadata.target).set({ isActive: false }).where({ clerkId: In(missing) } as never).execute();
      await Promise.all(missing.map((id) => this.users.invalidate(id)));
    }
    return missing.length;
  }
}

function pick(m: MappedClerkUser): Record<SyncedColumn, unknown> {
  return Object.fromEntries(SYNCED.map((c) => [c, m[c]])) as Record<SyncedColumn, unknown>;
}
