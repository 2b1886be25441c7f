import { Inject, Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { CLERK_USER_REPOSITORY } from '../clerk-users.constants';
import type { AbstractClerkUser } from './abstract-clerk-user.entity';
import { hashPassword } from './password-hasher';

/** Staff accounts with no Clerk identity: no token can ever resolve to them, and linking skips them. */
@Injectable()
export class StaffAccountsService {
  constructor(@Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>) {}

  async createSuperuser(input: { email: string; username?: string; password: string }): Promise<AbstractClerkUser> {
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
      isSuperuser: true,
      isActive: true,
      passwordHash: await hashPassword(input.password),
    });
    return this.repository.save(user);
  }
}
