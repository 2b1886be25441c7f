import type { Type } from '@nestjs/common';
import { CommandFactory } from 'nest-commander';
import { ClerkUsersConfigurationError } from '../options/resolve-options.js';
import { EXIT_ITEMS_FAILED, EXIT_USAGE } from './exit-codes.js';

/**
 * `CommandFactory.run` with the exit codes the commands promise: a configuration error (a missing
 * or malformed setting) exits 2 with a message naming it; the app is closed, so the process ends
 * by itself.
 */
export async function runClerkUsersCli(cliModule: Type, logger: Array<'error' | 'warn' | 'log'> = ['error']): Promise<void> {
  try {
    await CommandFactory.run(cliModule, {
      logger,
      // Let a bootstrap error (a bad setting) reach the catch below instead of Nest's process.exit(1).
      abortOnError: false,
      errorHandler: (error) => {
        process.stderr.write(`usage error: ${error.message}\n`);
        process.exitCode = EXIT_USAGE;
      },
    });
  } catch (error) {
    const configuration = error instanceof ClerkUsersConfigurationError || (error as Error)?.name === 'ClerkUsersConfigurationError';
    process.stderr.write(`${configuration ? 'configuration error' : 'error'}: ${(error as Error).message}\n`);
    process.exitCode = configuration ? EXIT_USAGE : EXIT_ITEMS_FAILED;
  }
}
