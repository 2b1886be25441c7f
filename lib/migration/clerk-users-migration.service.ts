import { Inject, Injectable } from '@nestjs/common';
import type { ClerkClient, User } from '@clerk/backend';
import type { Repository } from 'typeorm';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { isUniqueViolation } from '../common/unique-violation.js';
import type { RetryPolicy } from '../sync/clerk-api-retry.js';
import { callClerkApi, isFatalClerkApiFailure } from '../sync/clerk-api-failure.js';
import { silentReporter, SyncUsageError } from '../sync/sync-report.js';
import { runBounded } from './bounded-pool.js';
import { candidatesQuery, type MigrationCandidate } from './migration-candidates.js';
import { CandidateFeed } from './candidate-feed.js';
import { emptyMigrationSummary, type MigrationReporter, type MigrationSummary } from './migration-report.js';
import { planPassword, type PasswordPlan } from './password-digest.js';
import { signInLink, SignInLinksCsv } from './sign-in-links-csv.js';
import { RowLinker } from './row-linker.js';
import { AdaptivePacer } from './adaptive-pacer.js';

/** Options of a migration run (the `migrate-users-to-clerk` flags). */
export interface ClerkMigrationRunOptions {
  /** Look up and report, write nothing (neither in Clerk nor locally). */
  dryRun?: boolean;
  /** Most rows to take. Default: all. */
  limit?: number;
  /** Rows read (and looked up in Clerk by `external_id`) at once, 1-100. Default 100. */
  batchSize?: number;
  /** Backend API calls in flight at once, 1-32. Default 10. */
  concurrency?: number;
  /** Also staff and superuser accounts that sign in with a local password. */
  includeStaff?: boolean;
  /** Write an `email,link` CSV of sign-in links for users created without a password. */
  signInLinks?: { redirectUrl: string; file: string; expiresInSeconds?: number };
  retry?: RetryPolicy;
  reporter?: MigrationReporter;
}

type PasswordHasherParam = Extract<Parameters<ClerkClient['users']['createUser']>[0], { passwordHasher: unknown }>['passwordHasher'];

/** Clerk's external id filter takes up to 100 values per request. */
const MAX_BATCH = 100;
const DEFAULT_LINK_SECONDS = 7 * 24 * 3600;

type Outcome = 'created' | 'linked' | 'skipped';

/** A Backend API call with the run's retry policy (429 waited out, counted). */
type ClerkCall = <T>(request: () => Promise<T>) => Promise<T>;

/** What every row of one run shares. */
interface RunContext {
  dryRun: boolean;
  call: ClerkCall;
  summary: MigrationSummary;
  reporter: MigrationReporter;
  linker: RowLinker;
  /** The CSV and the link settings, with `--send-sign-in-links`. */
  signInLinks: { csv: SignInLinksCsv; redirectUrl: string; expiresInSeconds: number } | null;
}

interface Work {
  row: MigrationCandidate;
  /** The Clerk user an earlier run created for this row (`external_id` = its id), if any. */
  existing: User | undefined;
  /** Dry run only: a Clerk user already holding the row's email. */
  byEmail?: User;
}

interface ClerkRefusal {
  code: string | undefined;
  param: string | undefined;
}

/** Clerk's 422 answer (its error code and the parameter it names), or `null` for any other error. */
function refusalOf(error: unknown): ClerkRefusal | null {
  if ((error as { status?: unknown })?.status !== 422) return null;
  const first = (error as { errors?: Array<{ code?: unknown; meta?: { paramName?: unknown } }> }).errors?.[0];
  return {
    code: typeof first?.code === 'string' ? first.code : undefined,
    param: typeof first?.meta?.paramName === 'string' ? first.meta.paramName : undefined,
  };
}

const isDuplicate = (refusal: ClerkRefusal | null): boolean => refusal?.code === 'form_identifier_exists' || refusal?.code === 'form_identifier_not_unique';

const emailsOf = (user: User): string[] => user.emailAddresses.map((address) => address.emailAddress.toLowerCase());

/**
 * Moves local rows without a Clerk identity into Clerk (`migrate-users-to-clerk`). Each Clerk user
 * gets `external_id` = the row's id, and the row is linked only once Clerk has answered, so a run
 * killed at any point is simply run again: a row whose Clerk user exists is found by `external_id`
 * (or, failing that, by its email) and linked, never created twice.
 */
@Injectable()
export class ClerkUsersMigration {
  constructor(
    @Inject(CLERK_CLIENT) private readonly clerk: ClerkClient,
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {}

  /** How many rows a run would take. */
  countCandidates(includeStaff = false): Promise<number> {
    return candidatesQuery(this.repository, includeStaff).getCount();
  }

  async run(options: ClerkMigrationRunOptions = {}): Promise<MigrationSummary> {
    const { limit, batchSize, concurrency } = this.validate(options);
    const reporter = options.reporter ?? silentReporter;
    const dryRun = options.dryRun ?? false;
    const includeStaff = options.includeStaff ?? false;
    const summary = emptyMigrationSummary();
    const retry: RetryPolicy = {
      attempts: 10,
      ...options.retry,
      onRetry: (info) => {
        if (info.status === 429) summary.rateLimited++;
        options.retry?.onRetry?.(info);
      },
    };
    const pacer = new AdaptivePacer();
    const paced = async <T>(request: () => Promise<T>): Promise<T> => {
      await pacer.slot();
      try {
        const result = await request();
        pacer.accepted();
        return result;
      } catch (error) {
        if ((error as { status?: unknown })?.status === 429) pacer.rateLimited();
        throw error;
      }
    };
    const call: ClerkCall = (request) => callClerkApi(() => paced(request), retry, this.options.apiUrl);
    const linkOptions = options.signInLinks;
    const context: RunContext = {
      dryRun,
      call,
      summary,
      reporter,
      linker: new RowLinker(this.repository),
      signInLinks:
        linkOptions && !dryRun
          ? { csv: await SignInLinksCsv.open(linkOptions.file), redirectUrl: linkOptions.redirectUrl, expiresInSeconds: linkOptions.expiresInSeconds ?? DEFAULT_LINK_SECONDS }
          : null,
    };

    const total = Math.min(await this.countCandidates(includeStaff), limit);
    reporter.progress(0, total);
    let fatal: { error: unknown } | null = null;
    let done = 0;

    const feed = new CandidateFeed<Work>(this.repository, {
      includeStaff,
      batchSize,
      limit,
      prepare: async (rows) => {
        // One lookup per batch finds what an earlier, interrupted run created (and, in a dry run, who has the email).
        const existing = await this.findByExternalId(rows.map((row) => row.id), call);
        const byEmail = dryRun ? await this.findByEmails(rows.map((row) => row.email as string), call) : new Map<string, User>();
        return rows.map((row) => ({ row, existing: existing.get(row.id), byEmail: byEmail.get(row.email as string) }));
      },
    });

    try {
      await runBounded(
        concurrency,
        () => feed.next(),
        async (work) => {
          summary.candidates++;
          try {
            const outcome = await this.migrateRow(work, context);
            summary[outcome]++;
          } catch (error) {
            if (isFatalClerkApiFailure(error)) fatal ??= { error };
            summary.failed++;
            reporter.line(`failed: ${work.row.id} ${work.row.email}: ${(error as Error).message}`);
          }
          reporter.progress(++done, total);
        },
        () => fatal !== null,
      );
    } finally {
      await feed.settle();
    }
    // Rows cannot be read (database) or looked up (Backend API): the run stops; a rerun resumes.
    if (feed.error) throw feed.error.cause;
    if (fatal) throw (fatal as { error: unknown }).error;
    return summary;
  }

  private validate(options: ClerkMigrationRunOptions): { limit: number; batchSize: number; concurrency: number } {
    if (!this.options.secretKey) throw new SyncUsageError('CLERK_SECRET_KEY (option "secretKey") is not set: the migration writes to the Clerk Backend API');
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const batchSize = options.batchSize ?? MAX_BATCH;
    const concurrency = options.concurrency ?? 10;
    if (!Number.isInteger(limit) || limit < 1) throw new SyncUsageError('--limit must be a whole number of at least 1');
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw new SyncUsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH}`);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new SyncUsageError('--concurrency must be from 1 to 32');
    if (options.signInLinks) {
      let url: URL | null = null;
      try {
        url = new URL(options.signInLinks.redirectUrl);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new SyncUsageError('--send-sign-in-links needs the absolute http(s) URL users land on, e.g. https://app.example.com/welcome');
    }
    return { limit, batchSize, concurrency };
  }

  private async migrateRow(work: Work, context: RunContext): Promise<Outcome> {
    const { dryRun, call, summary, reporter, linker, signInLinks } = context;
    const { row } = work;
    const email = row.email as string;
    const password = planPassword(row.passwordHash, this.options.migration.passwordHasher);
    if (password.kind === 'passwordless' && password.reason === 'own-format') summary.ownFormatHashes++;
    if (password.kind === 'passwordless' && password.reason === 'not-this-format') {
      reporter.line(`password of ${row.id} ${email} is not a ${this.options.migration.passwordHasher} digest: ${dryRun ? 'would be created' : 'created'} without a password`);
    }
    if (dryRun) {
      const found = work.existing ?? work.byEmail;
      reporter.line(found ? `would link ${row.id} ${email} to ${found.id}` : `would create ${email}${password.kind === 'digest' ? ` (password digest, ${password.passwordHasher})` : ''}`);
      if (!found && password.kind === 'digest') summary.passwordDigests++;
      return found ? 'linked' : 'created';
    }
    let outcome: Outcome;
    let clerkUser: User;
    if (work.existing) {
      clerkUser = work.existing;
      outcome = 'linked';
    } else {
      const created = await this.create(row, password, call, reporter);
      clerkUser = created.user;
      outcome = created.created ? 'created' : 'linked';
      if (created.created && password.kind === 'digest') summary.passwordDigests++;
    }
    if (!(await this.linkRow(linker, row, clerkUser.id))) return 'skipped';
    if (signInLinks && !(outcome === 'created' && password.kind === 'digest')) {
      const token = await call(() => this.clerk.signInTokens.createSignInToken({ userId: clerkUser.id, expiresInSeconds: signInLinks.expiresInSeconds }));
      await signInLinks.csv.add(email, signInLink(signInLinks.redirectUrl, token.token));
      summary.signInLinks++;
    }
    return outcome;
  }

  /** Creates the Clerk user, or finds the one holding its email or external id (`created: false`). */
  private async create(
    row: MigrationCandidate,
    password: PasswordPlan,
    call: ClerkCall,
    reporter: MigrationReporter,
  ): Promise<{ user: User; created: boolean }> {
    const email = row.email as string;
    let username = row.username ?? undefined;
    for (;;) {
      try {
        const user = await call(() =>
          this.clerk.users.createUser({
            externalId: row.id,
            emailAddress: [email],
            username,
            firstName: row.firstName || undefined,
            lastName: row.lastName || undefined,
            publicMetadata: row.publicMetadata,
            skipLegalChecks: true,
            // Clerk's docs list more hashers than the SDK's `PasswordHasher` type; the API takes them all.
            ...(password.kind === 'digest' ? { passwordDigest: password.passwordDigest, passwordHasher: password.passwordHasher as PasswordHasherParam } : { skipPasswordRequirement: true }),
          }),
        );
        return { user, created: true };
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal?.param === 'username' && username !== undefined) {
          // Taken by another Clerk user, or usernames are off in this instance: the user comes over without it.
          reporter.line(`username ${username} of ${row.id} ${isDuplicate(refusal) ? 'is taken in Clerk' : `was refused (${refusal.code ?? '422'})`}: created without it`);
          username = undefined;
          continue;
        }
        if (!isDuplicate(refusal) || (refusal?.param !== undefined && refusal.param !== 'email_address' && refusal.param !== 'external_id')) throw error;
        // A create that reached Clerk before a crash or timeout, or a user who signed up meanwhile.
        const found = (await this.findByExternalId([row.id], call)).get(row.id) ?? (await this.findByEmails([email], call)).get(email);
        if (!found) throw error;
        if (found.externalId && found.externalId !== row.id) {
          throw new Error(`${email} belongs in Clerk to ${found.id}, whose external_id is ${found.externalId}, not this row`);
        }
        return { user: found, created: false };
      }
    }
  }

  /** Sets `clerkId` on a row that still has none; `false` when it got one meanwhile (webhook, first request). */
  private async linkRow(linker: RowLinker, row: MigrationCandidate, clerkId: string): Promise<boolean> {
    try {
      return await linker.link(row.id, clerkId);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new Error(`${clerkId} is already linked to another local row (a webhook or first request created it before the migration linked ${row.id})`);
    }
  }

  private async findByExternalId(ids: string[], call: ClerkCall): Promise<Map<string, User>> {
    const page = await call(() => this.clerk.users.getUserList({ externalId: ids, limit: MAX_BATCH }));
    return new Map(page.data.filter((user) => user.externalId && ids.includes(user.externalId)).map((user) => [user.externalId as string, user]));
  }

  /** Clerk matches `email_address` loosely; only exact (case-insensitive) matches of any address count. */
  private async findByEmails(emails: string[], call: ClerkCall): Promise<Map<string, User>> {
    const page = await call(() => this.clerk.users.getUserList({ emailAddress: emails, limit: MAX_BATCH }));
    const wanted = new Set(emails);
    const found = new Map<string, User>();
    for (const user of page.data) for (const email of emailsOf(user)) if (wanted.has(email)) found.set(email, user);
    return found;
  }
}
