import { Command, Option } from 'nest-commander';
import { ClerkUsersSync } from '../sync/clerk-users-sync.service.js';
import { EXIT_ITEMS_FAILED, EXIT_OK, exitCodeFor, parseInteger } from './exit-codes.js';
import { PagedSyncCommand, type PagedSyncFlags } from './paged-sync.command.js';
import { ProgressPrinter } from './progress-printer.js';

/** `sync-clerk-users`: Clerk's users into the local table, one batched upsert per page. */
@Command({ name: 'sync-clerk-users', description: 'Sync users from the Clerk Backend API into the local table' })
export class SyncClerkUsersCommand extends PagedSyncCommand {
  constructor(private readonly sync: ClerkUsersSync) {
    super();
  }

  async run(_params: string[], flags: PagedSyncFlags & { concurrency?: number } = {}): Promise<void> {
    const printer = new ProgressPrinter('users');
    try {
      const summary = await this.sync.run({ ...flags, reporter: printer });
      printer.summary(flags.dryRun ? 'Dry run (nothing written)' : 'Sync complete', summary);
      process.exitCode = summary.failed ? EXIT_ITEMS_FAILED : EXIT_OK;
    } catch (error) {
      process.exitCode = exitCodeFor(error);
    }
  }

  @Option({ flags: '--concurrency <n>', description: 'pages in flight at once, 1-16 (default 4)' })
  parseConcurrency(value: string): number {
    return parseInteger(value);
  }
}
