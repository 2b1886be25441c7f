import { Inject, Injectable } from '@nestjs/common';
import type { ClerkClient } from '@clerk/backend';
import { IsNull, MoreThan, type Repository } from 'typeorm';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { userCacheKey } from '../cache/cache-keys.js';
import { withClerkRetry, type RetryPolicy } from '../sync/clerk-api-retry.js';
import { silentReporter, SyncUsageError, type SyncReporter } from '../sync/sync-report.js';
import type { AbstractClerkUser } from './abstract-clerk-user.entity.js';
import { ClerkUsernames } from './username-assignment.service.js';
import { unusedGeneratedUsername } from './username-generator.js';

/** Options of `generate-usernames`. */
export interface UsernameBackfillOptions {
  /** Start of the names. Default: `autoGenerateUsername.prefix`, else `user`. */
  prefix?: string;
  /** Also write each new name to Clerk (rows with a Clerk identity whose Clerk user has no username). */
  pushToClerk?: boolean;
  dryRun?: boolean;
  retry?: RetryPolicy;
  reporter?: SyncReporter;
}

/** Counts of one `generate-usernames` run. */
export interface UsernameBackfillSummary {
  /** Rows without a username. */
  candidates: number;
  generated: number;
  pushed: number;
  failed: number;
}

const PAGE = 500;
const PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** `generate-usernames`: a generated username for every row that has none, optionally written to Clerk too. */
@Injectable()
export class UsernameBackfill {
  constructor(
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    @Inject(CLERK_CLIENT) private readonly clerk: ClerkClient,
    private readonly cache: ClerkCacheService,
    private readonly usernames: ClerkUsernames,
  ) {}

  async run(options: UsernameBackfillOptions = {}): Promise<UsernameBackfillSummary> {
    const prefix = options.prefix ?? this.options.autoGenerateUsername?.prefix ?? 'user';
    if (!PREFIX.test(prefix)) throw new SyncUsageError('--prefix must be 1-40 letters, digits, "_" or "-", starting with a letter or digit');
    if (options.pushToClerk && !this.options.secretKey) throw new SyncUsageError('--push-to-clerk needs CLERK_SECRET_KEY (option "secretKey")');
    const reporter = options.reporter ?? silentReporter;
    const summary: UsernameBackfillSummary = { candidates: 0, generated: 0, pushed: 0, failed: 0 };
    const where = { username: IsNull(), clerkDeletedAt: IsNull() };
    const total = await this.repository.count({ where: where as never });
    let afterId: string | null = null;
    for (;;) {
      const rows = await this.repository.find({
        where: (afterId === null ? where : { ...where, id: MoreThan(afterId) }) as never,
        select: { id: true, clerkId: true, email: true } as never,
        order: { id: 'ASC' } as never,
        take: PAGE,
      });
      if (!rows.length) break;
      afterId = rows[rows.length - 1].id;
      for (const row of rows) {
        summary.candidates++;
        try {
          await this.fill(row, prefix, options, summary, reporter);
        } catch (error) {
          summary.failed++;
          reporter.line(`failed: ${row.id}${row.clerkId ? ` (${row.clerkId})` : ''}: ${(error as Error).message}`);
        }
        reporter.progress(summary.candidates, total);
      }
    }
    return summary;
  }

  private async fill(row: AbstractClerkUser, prefix: string, options: UsernameBackfillOptions, summary: UsernameBackfillSummary, reporter: SyncReporter): Promise<void> {
    const name = await unusedGeneratedUsername(this.repository, prefix);
    if (options.dryRun) {
      reporter.line(`would set ${row.id}${row.clerkId ? ` (${row.clerkId})` : ''} to ${name}${options.pushToClerk && row.clerkId ? ' and push it to Clerk' : ''}`);
      summary.generated++;
      return;
    }
    // Only while the row still has none: a name set meanwhile (a webhook) wins.
    const result = await this.repository.update({ id: row.id, username: IsNull() } as never, { username: name } as never);
    if (!result.affected) return;
    summary.generated++;
    if (!row.clerkId) return;
    await this.cache.delete(userCacheKey(row.clerkId));
    if (!options.pushToClerk) return;
    // Never overwrite a name the user has in Clerk (a local account may hold it here).
    const clerkUser = await withClerkRetry(() => this.clerk.users.getUser(row.clerkId as string), options.retry);
    if (clerkUser.username) {
      reporter.line(`not pushed: ${row.clerkId} already has a username in Clerk`);
      return;
    }
    if (await this.usernames.pushToClerk(row.clerkId, { prefix, retry: options.retry })) summary.pushed++;
  }
}
