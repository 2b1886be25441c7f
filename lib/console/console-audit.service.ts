import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type EntityManager, type FindOptionsWhere, type Repository } from 'typeorm';
import { ClerkConsoleAuditRecord } from './clerk-console-audit-record.entity.js';
import type { ConsoleActor } from './console-actor.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';
import type { ConsolePage } from './console-list-params.js';

/** What the console did: `update` (local flags) or one of the Clerk actions. */
export type ConsoleAuditAction = 'update' | 'resync' | 'revoke-sessions' | 'ban' | 'unban' | 'sign-in-link';

/** One audited change. */
export interface ConsoleAuditEntry {
  action: ConsoleAuditAction;
  target: { id: string; label: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The audit table `clerk_console_audit`: written with each change (in its transaction when there is one), listed newest first. */
@Injectable()
export class ConsoleAudit {
  constructor(@InjectRepository(ClerkConsoleAuditRecord) private readonly repository: Repository<ClerkConsoleAuditRecord>) {}

  async record(actor: ConsoleActor, entry: ConsoleAuditEntry, manager?: EntityManager): Promise<ClerkConsoleAuditRecord> {
    const repository = manager ? manager.getRepository(ClerkConsoleAuditRecord) : this.repository;
    return repository.save(
      repository.create({
        actorUserId: actor.userId,
        actor: actor.label.slice(0, 400),
        action: entry.action,
        targetUserId: entry.target.id,
        target: entry.target.label.slice(0, 400),
        before: entry.before,
        after: entry.after,
      }),
    );
  }

  async list(filters: { userId?: string; cursor?: string; limit: number }): Promise<ConsolePage<ClerkConsoleAuditRecord>> {
    const after = decodeCursor(filters.cursor, [/^\d{1,19}$/]);
    const where: FindOptionsWhere<ClerkConsoleAuditRecord> = {};
    if (filters.userId) where.targetUserId = filters.userId;
    if (after) where.id = LessThan(after[0]);
    const rows = await this.repository.find({ where, order: { id: 'DESC' }, take: filters.limit + 1 });
    const page = rows.slice(0, filters.limit);
    const last = page.at(-1);
    return { items: page, nextCursor: rows.length > filters.limit && last ? encodeCursor([last.id]) : null };
  }
}
