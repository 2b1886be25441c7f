import { CommandRunner, Option } from 'nest-commander';
import { parseInteger } from './exit-codes.js';

/** Flags both sync commands share. */
export interface PagedSyncFlags {
  all?: boolean;
  limit?: number;
  offset?: number;
  dryRun?: boolean;
  deactivateMissing?: boolean;
}

/** The paging, dry-run and deactivation flags of the sync commands, declared once. */
export abstract class PagedSyncCommand extends CommandRunner {
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

  @Option({ flags: '--deactivate-missing', description: 'deactivate what Clerk no longer has (needs --all)' })
  parseDeactivateMissing(): boolean {
    return true;
  }
}
