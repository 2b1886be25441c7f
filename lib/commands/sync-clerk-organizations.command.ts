import { Command, CommandRunner, Option } from 'nest-commander';
import { ClerkOrganizationsSync } from '../sync/clerk-organizations-sync.service';
import { EXIT_ITEMS_FAILED, EXIT_OK, exitCodeFor, parseInteger } from './exit-codes';
import { ProgressPrinter } from './progress-printer';

interface Flags {
  all?: boolean;
  limit?: number;
  offset?: number;
  syncMembers?: boolean;
  dryRun?: boolean;
  deactivateMissing?: boolean;
}

/** `sync-clerk-organizations`: Clerk's organizations (and memberships) into the local tables. */
@Command({ name: 'sync-clerk-organizations', description: 'Sync organizations (and memberships) from the Clerk Backend API' })
export class SyncClerkOrganizationsCommand extends CommandRunner {
  constructor(private readonly sync: ClerkOrganizationsSync) {
    super();
  }

  async run(_params: string[], flags: Flags = {}): Promise<void> {
    const printer = new ProgressPrinter('organizations');
    try {
      const summary = await this.sync.run({ ...flags, reporter: printer });
      const title = flags.dryRun ? 'Dry run (nothing written)' : 'Sync complete';
      printer.summary(`${title}, organizations`, summary.organizations);
      if (flags.syncMembers) printer.summary(`${title}, members`, summary.members);
      process.exitCode = summary.organizations.failed || summary.members.failed ? EXIT_ITEMS_FAILED : EXIT_OK;
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

  @Option({ flags: '--sync-members', description: 'also sync each organization\'s memberships' })
  parseSyncMembers(): boolean {
    return true;
  }

  @Option({ flags: '--dry-run', description: 'show what would change, members included; write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--deactivate-missing', description: 'deactivate organizations (and memberships) Clerk no longer has (needs --all)' })
  parseDeactivateMissing(): boolean {
    return true;
  }
}
