import { Command, CommandRunner, Option } from 'nest-commander';
import { ClerkUsersSync } from '../sync/clerk-users-sync.service';
import { EXIT_ITEMS_FAILED, EXIT_OK, exitCodeFor, parseInteger } from './exit-codes';
import { ProgressPrinter } from './progress-printer';

interface Flags {
  all?: boolean;
  limit?: number;
  offset?: number;
  dryRun?: boolean;
  deactivateMissing?: boolean;
  concurrency?: number;
}

/** `sync-clerk-users`: Clerk's users into the local table, one batched upsert per page. */
@Command({ name: 'sync-clerk-users', description: 'Sync users from the Clerk Backend API into the local table' })
export class SyncClerkUsersCommand extends CommandRunner {
  constructor(private readonly sync: ClerkUsersSync) {
    super();
  }

  async run(_params: string[], flags: Flags = {}): Promise<void> {
    const printer = new ProgressPrinter('users');
    try {
      const summary = await this.sync.run({ ...flags, reporter: printer });
      printer.summary(flags.dryRun ? 'Dry run (nothing written)' : 'Sync complete', summary);
      process.exitCode = summary.failed ? EXIT_ITEMS_FAILED : EXIT_OK;
    } catch (error) {
      process.exitCode = exitCodeFor(error);
    }
  }

  @Option({ flags: '--all', description: 'every page, not only the first' })
  parseAll(): boolean {
    return true;
  }

  @Option({ flags: '--limit <n>', description: 'page size, 1-500 (default 100)' })
  parseLimit(value: string): number {
    return parseInteger(value);
  }

  @Option({ flags: '--offset <n>', description: 'first item (default 0)' })
  parseOffset(value: string): number {
    return parseInteger(value);
  }

  @Option({ flags: '--dry-run', description: 'show what would change, write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--deactivate-missing', description: 'deactivate local Clerk users that Clerk no longer has (needs --all)' })
  parseDeactivateMissing(): boolean {
    return true;
  }

  @Option({ flags: '--concurrency <n>', description: 'pages in flight at once, 1-16 (default 4)' })
  parseConcurrency(value: string): number {
    return parseInteger(value);
  }
}
