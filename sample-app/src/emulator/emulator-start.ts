import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClerkOrganizationsSync, ClerkUsersService, ClerkUsersSync, StaffAccountsService } from 'nestjs-clerk-users';
import { AppUser } from '../app-user.entity.js';
import type { ClerkEmulator } from './clerk-emulator.js';
import { SEED_STAFF_USER_ID, STAFF_ACCOUNT_EMAIL } from './seed.js';

/** What the emulator hands out at start, for the console. */
export interface EmulatorCredentials {
  staffEmail: string;
  /** Fresh at every start: the account's password is reset to it. */
  staffPassword: string;
  /** An opaque M2M token (`mt_…`) the emulator's Backend API verifies. */
  m2mToken: string;
}

/**
 * Emulator mode only: fills the local tables from the emulator, makes Grace staff, creates (or
 * resets) the password-login staff account, and issues an M2M token. With real keys these are
 * `npm run cli -- sync-clerk-users --all`, your own admin tooling, `npm run cli -- create-superuser`
 * and Clerk's dashboard.
 */
export async function prepareEmulator(app: INestApplication, emulator: ClerkEmulator): Promise<EmulatorCredentials> {
  await app.get(ClerkUsersSync).run({ all: true });
  await app.get(ClerkOrganizationsSync).run({ all: true, syncMembers: true });

  await app.get(DataSource).getRepository(AppUser).update({ clerkId: SEED_STAFF_USER_ID }, { isStaff: true });
  await app.get(ClerkUsersService).invalidate(SEED_STAFF_USER_ID);

  const staffPassword = randomBytes(12).toString('base64url');
  const staff = app.get(StaffAccountsService);
  const existing = await staff.findForLogin({ email: STAFF_ACCOUNT_EMAIL });
  if (existing) await staff.setPassword(existing.id, staffPassword);
  else await staff.createStaffAccount({ email: STAFF_ACCOUNT_EMAIL, password: staffPassword });

  const m2mToken = emulator.api.issueMachineToken({ type: 'm2m_token', expiresInSeconds: 24 * 3600 });
  return { staffEmail: STAFF_ACCOUNT_EMAIL, staffPassword, m2mToken };
}
