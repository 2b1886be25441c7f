import type { DataSource } from 'typeorm';
import { ClerkUsersService, StaffAccountsService, type AbstractClerkUser } from '../../lib/index.js';
import { clerkConsoleMigrations } from '../../lib/console/index.js';
import type { ClerkAppHarness } from '../support/clerk-test-app.js';

/** Runs the console's migration on a test app's schema (the support's database set-up runs the users and organizations ones). */
export async function migrateConsole(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    for (const Migration of clerkConsoleMigrations) await new Migration().up(runner);
  } finally {
    await runner.release();
  }
}

export const PASSWORD = 'correct horse battery staple';

/** A Clerk user of a console suite, as {@link ConsoleAccounts.clerkUser} returns it. */
export type ConsoleUser = Awaited<ReturnType<ConsoleAccounts['clerkUser']>>;

/** What most console suites start from: the console's migration run, their accounts, and a superuser to call the console as. */
export async function setUpConsole(harness: ClerkAppHarness, prefix: string): Promise<{ people: ConsoleAccounts; admin: ConsoleUser }> {
  await migrateConsole(harness.dataSource);
  const people = new ConsoleAccounts(harness, prefix);
  return { people, admin: await people.clerkUser({ isSuperuser: true }) };
}

/** Accounts of a console suite: Clerk users (bearer tokens) with local flags set, and a local staff login. */
export class ConsoleAccounts {
  private counter = 0;
  constructor(
    private readonly harness: ClerkAppHarness,
    private readonly prefix: string,
  ) {}

  /** A Clerk user provisioned by its first request, then given local flags; returns the row and a token. */
  async clerkUser(flags: Partial<Pick<AbstractClerkUser, 'isStaff' | 'isSuperuser'>> = {}, profile: { firstName?: string; lastName?: string } = {}) {
    this.counter += 1;
    const id = `user_${this.prefix}${String(this.counter).padStart(20, '0')}`.slice(0, 32);
    const email = `${this.prefix}${this.counter}@example.com`;
    this.harness.api.addUser({ id, email, ...profile });
    const token = () => this.harness.kit.mintSessionToken({ userId: id });
    await this.harness.http().get('/me').set('Authorization', `Bearer ${token()}`).expect(200);
    const users = this.harness.app.get(ClerkUsersService);
    if (flags.isStaff || flags.isSuperuser) {
      await users.repository.update({ clerkId: id }, { isStaff: !!flags.isStaff || !!flags.isSuperuser, isSuperuser: !!flags.isSuperuser });
      await users.invalidate(id);
    }
    const row = (await users.findByClerkId(id))!;
    return { row, clerkId: id, email, token, bearer: () => `Bearer ${token()}` };
  }

  /** A staff password account (no Clerk identity). */
  async staffLogin(superuser: boolean) {
    this.counter += 1;
    return this.harness.app.get(StaffAccountsService).createStaffAccount({
      email: `${this.prefix}-staff${this.counter}@corp.example`,
      username: `${this.prefix}staff${this.counter}`,
      password: PASSWORD,
      superuser,
    });
  }
}
