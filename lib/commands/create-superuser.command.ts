import { createInterface } from 'node:readline';
import { Command, CommandRunner, Option } from 'nest-commander';
import { StaffAccountsService } from '../users/staff-accounts.service.js';
import { QueryFailedError } from 'typeorm';
import { EXIT_OK, EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { describeError, isNetworkFailure } from './describe-error.js';

interface Flags {
  email?: string;
  username?: string;
  passwordStdin?: boolean;
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text.replace(/\r?\n$/, '');
}

/** Reads a password from the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(question);
    output._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** `create-superuser`: a staff account with no Clerk identity (no token can reach it). */
@Command({ name: 'create-superuser', description: 'Create a staff superuser that signs in without Clerk' })
export class CreateSuperuserCommand extends CommandRunner {
  constructor(private readonly staff: StaffAccountsService) {
    super();
  }

  async run(_params: string[], flags: Flags = {}): Promise<void> {
    if (!flags.email) {
      process.stderr.write('usage error: --email is required\n');
      process.exitCode = EXIT_USAGE;
      return;
    }
    try {
      const password = flags.passwordStdin ? await readAll(process.stdin) : process.stdin.isTTY ? await prompt('Password: ') : '';
      if (!password) throw new Error('no password: type it at the prompt or pass it with --password-stdin');
      const user = await this.staff.createSuperuser({ email: flags.email, username: flags.username, password });
      process.stdout.write(`Superuser ${user.email} created (id ${user.id}, no Clerk identity)\n`);
      process.exitCode = EXIT_OK;
    } catch (error) {
      // The service refuses bad input with plain errors; a lost database connection is no usage error.
      if (isNetworkFailure(error) || error instanceof QueryFailedError) {
        process.exitCode = exitCodeFor(error);
        return;
      }
      process.stderr.write(`usage error: ${describeError(error)}\n`);
      process.exitCode = EXIT_USAGE;
    }
  }

  @Option({ flags: '--email <email>', description: 'email of the account', required: false })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--username <username>', description: 'optional username' })
  parseUsername(value: string): string {
    return value;
  }

  @Option({ flags: '--password-stdin', description: 'read the password from standard input' })
  parsePasswordStdin(): boolean {
    return true;
  }
}
