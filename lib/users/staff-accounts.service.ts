import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type Repository } from 'typeorm';
import { CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { AbstractClerkUser } from './abstract-clerk-user.entity.js';
import { hashPassword } from './password-hasher.js';
import { isUuid } from '../common/uuid.js';

/** What a password login names: an email (case-insensitive) or a username (exact). */
export type LocalLoginIdentifier = { email: string; username?: undefined } | { username: string; email?: undefined };

/** Input of `createStaffAccount`. */
export interface StaffAccountInput {
  email: string;
  username?: string;
  password: string;
  /** Also `isSuperuser`. Default `false`. */
  superuser?: boolean;
}

/** Staff accounts with no Clerk identity: no token can ever resolve to them, and linking skips them. */
@Injectable()
export class StaffAccountsService {
  constructor(@Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>) {}

  /** Whether `row` (loaded with its `passwordHash`) may sign in with a password: active, with a hash, and no Clerk identity. */
  static canUsePassword(row: AbstractClerkUser): boolean {
    return row.isActive && !row.clerkId && typeof row.passwordHash === 'string' && row.passwordHash.length > 0;
  }

  createSuperuser(input: { email: string; username?: string; password: string }): Promise<AbstractClerkUser> {
    return this.createStaffAccount({ ...input, superuser: true });
  }

  /** A staff account (`isStaff`, optionally `isSuperuser`) that signs in with a password (`localAuth`), never through Clerk. */
  async createStaffAccount(input: StaffAccountInput): Promise<AbstractClerkUser> {
    const email = input.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error('--email must be an email address');
    if (await this.repository.findOne({ where: { email } as never })) throw new Error(`a user with email ${email} already exists`);
    if (input.username && (await this.repository.findOne({ where: { username: input.username } as never }))) throw new Error(`username ${input.username} is taken`);
    const user = this.repository.create();
    Object.assign(user, {
      clerkId: null,
      email,
      username: input.username ?? null,
      isStaff: true,
      isSuperuser: input.superuser ?? false,
      isActive: true,
      passwordHash: await hashPassword(input.password),
    });
    const saved = await this.repository.save(user);
    delete saved.passwordHash;
    return saved;
  }

  /** Sets a new password on a local account; its existing password logins end at their next request. */
  async setPassword(id: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ passwordHash } as never)
      .where({ id, clerkId: IsNull() } as never)
      .execute();
    if (!result.affected) throw new Error('no local account with that id (accounts with a Clerk identity have no local password)');
  }

  /**
   * Replaces a hash made with weaker parameters after a login proved `password`; only while the row
   * still holds `previousHash`, so a password set meanwhile is never overwritten. Like any new hash,
   * it ends the account's other password logins (their credential digest no longer matches).
   */
  async upgradePasswordHash(id: string, previousHash: string, password: string): Promise<string | null> {
    const passwordHash = await hashPassword(password);
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ passwordHash } as never)
      .where({ id, clerkId: IsNull(), passwordHash: previousHash } as never)
      .execute();
    return result.affected ? passwordHash : null;
  }

  /** The row a login names, with its `passwordHash`; `null` when none. */
  findForLogin(identifier: LocalLoginIdentifier): Promise<AbstractClerkUser | null> {
    const query = this.repository.createQueryBuilder('u').addSelect('u.passwordHash');
    return identifier.email !== undefined
      ? query.where('u.email = :email', { email: identifier.email.trim().toLowerCase() }).getOne()
      : query.where('u.username = :username', { username: identifier.username }).getOne();
  }

  /** A row by primary key with its `passwordHash` (each request of a password login re-checks it); `null` when none. */
  findByIdWithPassword(id: string): Promise<AbstractClerkUser | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repository.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id }).getOne();
  }

  /** `lastLogin` of a password login. */
  async recordLogin(id: string, at: Date = new Date()): Promise<void> {
    await this.repository.update({ id } as never, { lastLogin: at } as never);
  }
}
