import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { IsNull, LessThan, type EntityManager, type Repository } from 'typeorm';
import { CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkUserJson } from '../users/clerk-user-json.interface.js';
import { ClerkUsersService } from '../users/clerk-users.service.js';
import { ClerkSessionRevocations } from '../auth/clerk-session-revocations.service.js';
import type { ClerkWebhookContext, ClerkWebhookEvent } from './clerk-webhook-event.types.js';
import { ClerkWebhookHandlers } from './clerk-webhook-handlers.service.js';
import { BUILT_IN_PRIORITY } from './webhook.constants.js';
import { invalidateNowAndAfterCommit } from '../cache/after-commit.js';
import { requireDataId } from '../common/invalid-clerk-payload.error.js';
import { UserEventBatches } from './user-event-batches.js';

const ENDED_SESSION_EVENTS = ['session.ended', 'session.removed', 'session.revoked'];

const millis = (value: unknown): Date | null => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? new Date(value) : null);

/**
 * The module's own handlers, from the payload alone (no API call per event): users are upserted
 * through the one mapping, deletions are final, sessions set `lastLogin`/`lastLogout` and
 * revoke cached verifications at once.
 */
@Injectable()
export class ClerkBuiltInWebhookHandlers implements OnModuleInit {
  private readonly logger = new Logger('ClerkWebhooks');

  constructor(
    private readonly handlers: ClerkWebhookHandlers,
    private readonly users: ClerkUsersService,
    private readonly revocations: ClerkSessionRevocations,
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
  ) {}

  onModuleInit(): void {
    const builtIn = { priority: BUILT_IN_PRIORITY };
    // Without an app handler in the transaction, user events take one group-committed statement.
    const upsertSql = this.users.setBasedUpsertSql();
    const batches = upsertSql && new UserEventBatches(this.repository.manager.connection, upsertSql, (clerkId) => this.users.invalidate(clerkId));
    this.handlers.registerBuiltIn(
      ['user.created', 'user.updated'],
      (event, context) => this.upsertUser(event, context),
      batches ? (svixId, event) => batches.apply(svixId, event) : undefined,
      'built-in user upsert',
    );
    this.handlers.register('user.deleted', (event, context) => this.deleteUser(event, context), builtIn, 'built-in user deletion');
    this.handlers.register('session.created', (event, context) => this.sessionCreated(event, context), builtIn, 'built-in session.created');
    this.handlers.register(ENDED_SESSION_EVENTS, (event, context) => this.sessionEnded(event, context), builtIn, 'built-in session end');
    // Ending a session must also end it on other instances, which only see the shared cache.
    this.handlers.register(ENDED_SESSION_EVENTS, (event) => this.revokeSession(event), { afterCommit: true, priority: BUILT_IN_PRIORITY }, 'built-in session revocation');
  }

  private async upsertUser(event: ClerkWebhookEvent, { manager }: ClerkWebhookContext): Promise<void> {
    const { outcome } = await this.users.upsertFromClerkUser(event.data as unknown as ClerkUserJson, manager);
    if (outcome === 'stale') this.logger.debug(`${event.type} older than the stored row (or the user is deleted): acknowledged, skipped`);
  }

  private async deleteUser(event: ClerkWebhookEvent, { manager }: ClerkWebhookContext): Promise<void> {
    await this.users.markDeleted(requireDataId(event), manager);
  }

  private async sessionCreated(event: ClerkWebhookEvent, { manager }: ClerkWebhookContext): Promise<void> {
    const data = event.data as { user_id?: unknown; created_at?: unknown; last_active_at?: unknown };
    const at = millis(data.created_at) ?? millis(data.last_active_at);
    if (typeof data.user_id === 'string' && at) await this.touch(manager, data.user_id, 'lastLogin', at);
  }

  private async sessionEnded(event: ClerkWebhookEvent, { manager }: ClerkWebhookContext): Promise<void> {
    const data = event.data as { user_id?: unknown; abandoned_at?: unknown; updated_at?: unknown; expire_at?: unknown };
    const at = millis(data.abandoned_at) ?? millis(data.updated_at) ?? millis(event.timestamp);
    if (typeof data.user_id === 'string' && at) await this.touch(manager, data.user_id, 'lastLogout', at);
  }

  private async revokeSession(event: ClerkWebhookEvent): Promise<void> {
    const id = (event.data as { id?: unknown }).id;
    if (typeof id === 'string' && id) await this.revocations.revoke(id);
  }

  /** Moves a timestamp forward only: a late or missing value never overwrites a newer one with null. */
  private async touch(manager: EntityManager, clerkId: string, column: 'lastLogin' | 'lastLogout', at: Date): Promise<void> {
    const result = await manager
      .createQueryBuilder()
      .update(this.repository.target)
      .set({ [column]: at })
      // Property names, not column names: TypeORM maps them through the naming strategy.
      .where([{ clerkId, [column]: IsNull() }, { clerkId, [column]: LessThan(at) }] as never)
      .execute();
    if (result.affected) await invalidateNowAndAfterCommit(manager, () => this.users.invalidate(clerkId));
  }
}
