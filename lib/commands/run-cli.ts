import type { Type } from '@nestjs/common';
import { CommandFactory } from 'nest-commander';
import { ClerkUsersConfigurationError } from '../options/configuration.error.js';
import { ClerkUsersSetupError } from '../boot/clerk-setup.error.js';
import { EXIT_ITEMS_FAILED, EXIT_USAGE } from './exit-codes.js';
import { describeError, redactSecrets } from './describe-error.js';

const CONFIGURATION_ERRORS = new Set(['ClerkUsersConfigurationError', 'ClerkUsersSetupError']);

/** A bad setting or set-up (also when thrown by a second copy of the package, hence the names). */
const isConfigurationError = (error: unknown): boolean =>
  error instanceof ClerkUsersConfigurationError || error instanceof ClerkUsersSetupError || CONFIGURATION_ERRORS.has((error as Error)?.name);

/**
 * `CommandFactory.run` with the exit codes the commands promise: a configuration error (a missing
 * or malformed setting, no TypeORM, missing entities) exits 2 with a message naming it; any other
 * boot failure exits 1 with its cause (e.g. the database refusing the connection). The app is
 * closed, so the process ends by itself.
 */
export async function runClerkUsersCli(cliModule: Type, logger: Array<'error' | 'warn' | 'log'> = ['error']): Promise<void> {
  try {
    await CommandFactory.run(cliModule, {
      logger,
      // Let a bootstrap error (a bad setting) reach the catch below instead of Nest's process.exit(1).
      abortOnError: false,
      errorHandler: (error) => {
        process.stderr.write(`usage error: ${redactSecrets(error.message)}\n`);
        process.exitCode = EXIT_USAGE;
      },
    });
  } catch (error) {
    const configuration = isConfigurationError(error);
    process.stderr.write(`${configuration ? 'configuration error' : 'error'}: ${describeError(error)}\n`);
    process.exitCode = configuration ? EXIT_USAGE : EXIT_ITEMS_FAILED;
  }
}
