import { Optional } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { ClerkOrganizationsSync } from '../sync/clerk-organizations-sync.service.js';
import { SyncUsageError } from '../sync/sync-report.js';
import { EXIT_ITEMS_FAILED, EXIT_OK, exitCodeFor } from './exit-codes.js';
import { PagedSyncCommand, type PagedSyncFlags } from './paged-sync.command.js';
import { ProgressPrinter } from './progress-printer.js';

/**
 * `sync-clerk-organizations`: Clerk's organizations (and memberships) into the local tables. The
 * sync comes from `OrganizationsModule`; without it the CLI still boots (for the other commands) and
 * this one exits 2 naming the module.
 */
@Command({ name: 'sync-clerk-organizations', description: 'Sync organizations (and memberships) from the Clerk Backend API' })
export class SyncClerkOrganizationsCommand extends PagedSyncCommand {
  constructor(@Optional() private readonly sync?: ClerkOrganizationsSync) {
    super();
  }

  async run(_params: string[], flags: PagedSyncFlags & { syncMembers?: boolean } = {}): Promise<void> {
    const printer = new ProgressPrinter('organizations');
    try {
      if (!this.sync) {
        throw new SyncUsageError('OrganizationsModule is not imported: add OrganizationsModule.forRoot() (or forRootAsync()) to the CLI module (the one passed to runClerkUsersCli() or CommandFactory.run())');
      }
      const summary = await this.sync.run({ ...flags, reporter: printer });
      const title = flags.dryRun ? 'Dry run (nothing written)' : 'Sync complete';
      printer.summary(`${title}, organizations`, summary.organizations);
      if (flags.syncMembers) printer.summary(`${title}, members`, summary.members);
      process.exitCode = summary.organizations.failed || summary.members.failed ? EXIT_ITEMS_FAILED : EXIT_OK;
    } catch (error) {
      process.exitCode = exitCodeFor(error);
    }
  }

  @Option({ flags: '--sync-members', description: "also sync each organization's memberships (dry-run lists them too)" })
  parseSyncMembers(): boolean {
    return true;
  }
}
