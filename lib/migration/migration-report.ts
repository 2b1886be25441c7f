import type { SyncReporter } from '../sync/sync-report.js';

/** Counts of one `migrate-users-to-clerk` run: `created + linked + skipped + failed = candidates`. */
export interface MigrationSummary {
  /** Rows the run took (at most `--limit`). */
  candidates: number;
  /** New Clerk users. */
  created: number;
  /** Rows linked to a Clerk user that already existed (an earlier, interrupted run; the same email). */
  linked: number;
  /** Rows that got a Clerk identity elsewhere during the run (a webhook, a first request). */
  skipped: number;
  failed: number;
  /** Users created with their password digest. */
  passwordDigests: number;
  /** Rows with a password hash in this package's own staff format: never sent, created passwordless. */
  ownFormatHashes: number;
  /** Sign-in links written (`--send-sign-in-links`). */
  signInLinks: number;
  /** 429 answers received and waited out (their `Retry-After`). */
  rateLimited: number;
}

export const emptyMigrationSummary = (): MigrationSummary => ({
  candidates: 0,
  created: 0,
  linked: 0,
  skipped: 0,
  failed: 0,
  passwordDigests: 0,
  ownFormatHashes: 0,
  signInLinks: 0,
  rateLimited: 0,
});

/** The summary line the command prints (its wording is part of the contract). */
export const migrationSummaryLine = (s: MigrationSummary, dryRun = false): string =>
  `${dryRun ? 'Dry run (nothing written)' : 'Migration complete'}: ${s.candidates} candidates; created ${s.created}, linked ${s.linked} (already in Clerk), skipped ${s.skipped}, failed ${s.failed}`;

export type MigrationReporter = SyncReporter;
