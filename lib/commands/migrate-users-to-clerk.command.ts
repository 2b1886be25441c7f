import { Command, CommandRunner, Option } from 'nest-commander';
import { ClerkUsersMigration } from '../migration/clerk-users-migration.service.js';
import { migrationSummaryLine } from '../migration/migration-report.js';
import { EXIT_ITEMS_FAILED, EXIT_OK, exitCodeFor, parseInteger } from './exit-codes.js';
import { ProgressPrinter } from './progress-printer.js';

interface MigrateFlags {
  dryRun?: boolean;
  limit?: number;
  batchSize?: number;
  concurrency?: number;
  includeStaff?: boolean;
  sendSignInLinks?: string;
  linksFile?: string;
}

/** Where `--send-sign-in-links` writes unless `--links-file` says otherwise. */
export const DEFAULT_SIGN_IN_LINKS_FILE = 'clerk-sign-in-links.csv';

/** `migrate-users-to-clerk`: local rows without a Clerk identity into Clerk; rerun after any interruption. */
@Command({ name: 'migrate-users-to-clerk', description: 'Create Clerk users for local rows without a Clerk identity and link them' })
export class MigrateUsersToClerkCommand extends CommandRunner {
  constructor(private readonly migration: ClerkUsersMigration) {
    super();
  }

  async run(_params: string[], flags: MigrateFlags = {}): Promise<void> {
    const printer = new ProgressPrinter('migrate');
    try {
      const linksFile = flags.linksFile ?? DEFAULT_SIGN_IN_LINKS_FILE;
      const summary = await this.migration.run({
        dryRun: flags.dryRun,
        limit: flags.limit,
        batchSize: flags.batchSize,
        concurrency: flags.concurrency,
        includeStaff: flags.includeStaff,
        signInLinks: flags.sendSignInLinks === undefined ? undefined : { redirectUrl: flags.sendSignInLinks, file: linksFile },
        reporter: printer,
      });
      const passwords = [
        summary.passwordDigests ? `${summary.passwordDigests} with their password digest` : '',
        summary.ownFormatHashes ? `${summary.ownFormatHashes} staff-format password hashes not sent (those users sign in without a password)` : '',
        summary.signInLinks ? `${summary.signInLinks} sign-in links written to ${linksFile}` : '',
        summary.rateLimited ? `${summary.rateLimited} rate-limit answers (429) waited out` : '',
      ].filter(Boolean);
      if (passwords.length) printer.line(passwords.join('; '));
      printer.line(migrationSummaryLine(summary, flags.dryRun));
      process.exitCode = summary.failed ? EXIT_ITEMS_FAILED : EXIT_OK;
    } catch (error) {
      process.exitCode = exitCodeFor(error);
    }
  }

  @Option({ flags: '--dry-run', description: 'look up and report what would happen, write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--limit <n>', description: 'most rows to migrate in this run (default: all)' })
  parseLimit(value: string): number {
    return parseInteger(value);
  }

  @Option({ flags: '--batch-size <n>', description: 'rows read and looked up in Clerk at once, 1-100 (default 100)' })
  parseBatchSize(value: string): number {
    return parseInteger(value);
  }

  @Option({ flags: '--concurrency <n>', description: 'Backend API calls in flight, 1-32 (default 10)' })
  parseConcurrency(value: string): number {
    return parseInteger(value);
  }

  @Option({ flags: '--include-staff', description: 'also staff/superuser accounts that sign in with a local password' })
  parseIncludeStaff(): boolean {
    return true;
  }

  @Option({ flags: '--send-sign-in-links <redirectUrl>', description: 'write an email,link CSV of sign-in links (nothing is sent) for users without a password' })
  parseSendSignInLinks(value: string): string {
    return value;
  }

  @Option({ flags: '--links-file <path>', description: `CSV file of --send-sign-in-links (default ${DEFAULT_SIGN_IN_LINKS_FILE}, appended to)` })
  parseLinksFile(value: string): string {
    return value;
  }
}
