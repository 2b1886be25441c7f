import { Command, CommandRunner, Option } from 'nest-commander';
import { UsernameBackfill } from '../users/username-backfill.service.js';
import { EXIT_ITEMS_FAILED, EXIT_OK, exitCodeFor } from './exit-codes.js';
import { ProgressPrinter } from './progress-printer.js';

interface GenerateUsernamesFlags {
  prefix?: string;
  pushToClerk?: boolean;
  dryRun?: boolean;
}

/** `generate-usernames`: a generated username (`<prefix>_<random>`) for every row without one. */
@Command({ name: 'generate-usernames', description: 'Give every user without a username a generated one (optionally in Clerk too)' })
export class GenerateUsernamesCommand extends CommandRunner {
  constructor(private readonly backfill: UsernameBackfill) {
    super();
  }

  async run(_params: string[], flags: GenerateUsernamesFlags = {}): Promise<void> {
    const printer = new ProgressPrinter('usernames');
    try {
      const summary = await this.backfill.run({ ...flags, reporter: printer });
      printer.line(
        `${flags.dryRun ? 'Dry run (nothing written)' : 'Usernames complete'}: ${summary.candidates} without a username; generated ${summary.generated}, pushed to Clerk ${summary.pushed}, failed ${summary.failed}`,
      );
      process.exitCode = summary.failed ? EXIT_ITEMS_FAILED : EXIT_OK;
    } catch (error) {
      process.exitCode = exitCodeFor(error);
    }
  }

  @Option({ flags: '--prefix <prefix>', description: 'start of the names (default: autoGenerateUsername.prefix, else "user")' })
  parsePrefix(value: string): string {
    return value;
  }

  @Option({ flags: '--push-to-clerk', description: 'also write each name to Clerk (users with no username there)' })
  parsePushToClerk(): boolean {
    return true;
  }

  @Option({ flags: '--dry-run', description: 'list the names that would be set, write nothing' })
  parseDryRun(): boolean {
    return true;
  }
}
