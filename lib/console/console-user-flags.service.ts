import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkUsersService } from '../users/clerk-users.service.js';
import { inTrackedTransaction, invalidateNowAndAfterCommit } from '../cache/after-commit.js';
import { ConsoleAudit } from './console-audit.service.js';
import { userLabel, type ConsoleActor } from './console-actor.js';
import { CONSOLE_FLAGS, type ConsoleFlagChanges } from './console-user-flags.js';

type Flags = Required<ConsoleFlagChanges>;

/**
 * Local flag changes with the console's rules: never on one's own account, superuser rows and the
 * superuser flag only by a superuser, never leaving no active superuser. Each change is audited in
 * the transaction that makes it, and the user's cached row is dropped.
 */
@Injectable()
export class ConsoleUserFlags {
  constructor(
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
    private readonly users: ClerkUsersService,
    private readonly audit: ConsoleAudit,
  ) {}

  async update(actor: ConsoleActor, id: string, changes: ConsoleFlagChanges): Promise<AbstractClerkUser> {
    if (id === actor.userId) throw new ForbiddenException('You cannot change your own account');
    if (changes.isSuperuser !== undefined && !actor.isSuperuser) throw new ForbiddenException('Only a superuser can grant or remove superuser');
    return inTrackedTransaction(this.repository.manager, async (em) => {
      const repository = em.getRepository<AbstractClerkUser>(this.repository.target);
      // Demotions lock every active superuser first, in id order, then the target: two concurrent
      // demotions wait for each other instead of both seeing "another superuser is left" (or deadlocking).
      const demotes = changes.isSuperuser === false || changes.isActive === false;
      const superusers = demotes
        ? await repository.find({ select: { id: true }, where: { isSuperuser: true, isActive: true }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } })
        : [];
      const user = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundException('No such user');
      if (user.isSuperuser && !actor.isSuperuser) throw new ForbiddenException('Only a superuser can change a superuser account');
      const before: Partial<Flags> = {};
      const after: Partial<Flags> = {};
      for (const flag of CONSOLE_FLAGS) {
        const value = changes[flag];
        if (value === undefined || value === user[flag]) continue;
        before[flag] = user[flag];
        after[flag] = value;
      }
      if (!Object.keys(after).length) return user;
      const removesSuperuser = user.isSuperuser && user.isActive && (after.isSuperuser === false || after.isActive === false);
      if (removesSuperuser && superusers.filter((row) => row.id !== user.id).length === 0) {
        throw new ConflictException('This is the last active superuser: make another superuser first');
      }
      await repository.update({ id }, after);
      Object.assign(user, after);
      await this.audit.record(actor, { action: 'update', target: { id, label: userLabel(user) }, before, after }, em);
      const clerkId = user.clerkId;
      if (clerkId) await invalidateNowAndAfterCommit(em, () => this.users.invalidate(clerkId));
      return user;
    });
  }
}
