import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { ClerkWebhookEvent } from './clerk-webhook-event.types.js';
import { ClerkWebhookHandlers, type ClerkOneStatementHandler, type ClerkWebhookOutcome, type RegisteredClerkHandler } from './clerk-webhook-handlers.service.js';
import { discardAfterCommit, flushAfterCommit, trackCommit } from '../cache/after-commit.js';
import { webhookEventSql, type WebhookEventSql } from './webhook-event-claim.sql.js';
import { clerkUserIdOfEvent } from './webhook-event-user.js';
import { isUniqueViolation } from '../common/unique-violation.js';
import { InvalidClerkPayloadError } from '../common/invalid-clerk-payload.error.js';
import { webhookEventRetentionHours } from '../options/webhook-retention.js';

export type { ClerkWebhookOutcome } from './clerk-webhook-handlers.service.js';

const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
const MAX_ERROR_LENGTH = 2000;

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_ERROR_LENGTH);

/**
 * Exactly-once processing keyed by `svix-id`, durable and shared by every instance: the event row
 * is claimed (a unique key, so a concurrent delivery waits) and marked processed in the same
 * transaction as the handlers' writes. A failure rolls all of it back, records the attempt, and
 * rethrows so the endpoint answers 5xx and Svix retries (400 for a refused payload, which no retry can fix).
 *
 * When a built-in handler is the event's only in-transaction handler and has a one-statement form
 * (e.g. `user.updated` with no app handler), claim and effects go in one atomic statement instead:
 * one round trip rather than BEGIN, claim, lock, write, COMMIT.
 */
@Injectable()
export class ClerkWebhookProcessor {
  private readonly logger = new Logger('ClerkWebhooks');
  private lastPrune = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: ClerkWebhookHandlers,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {}

  /** The event table's statements, named as this DataSource names it (built once per DataSource). */
  private get sql(): WebhookEventSql {
    return webhookEventSql(this.dataSource);
  }

  async process(svixId: string, event: ClerkWebhookEvent): Promise<ClerkWebhookOutcome> {
    const plan = this.handlers.plan(event.type);
    let outcome = plan.oneStatement ? await this.tryOneStatement(plan.oneStatement, svixId, event) : undefined;
    outcome ??= await this.runInTransaction(svixId, event, plan.inTransaction);
    if (outcome === 'processed') {
      await this.runAfterCommit(svixId, event, plan.afterCommit);
      this.pruneSometimes();
    }
    return outcome;
  }

  /** Deletes processed event rows older than `webhookEventRetentionHours` (never younger than the 72-hour floor). */
  async prune(): Promise<number> {
    const result: [unknown, number] = await this.dataSource.query(this.sql.prune, [webhookEventRetentionHours(this.options.webhookEventRetentionHours) * 3600]);
    return result[1] ?? 0;
  }

  /**
   * The built-in handler alone, as one atomic statement. Anything it cannot decide, and any error
   * (the statement then left nothing behind, not even the claim), goes the transactional path.
   */
  private async tryOneStatement(run: ClerkOneStatementHandler, svixId: string, event: ClerkWebhookEvent): Promise<ClerkWebhookOutcome | undefined> {
    try {
      return await run(svixId, event);
    } catch (error) {
      // The transactional path would map the same payload again and refuse it again.
      if (error instanceof InvalidClerkPayloadError) {
        await this.recordFailure(svixId, event, error);
        throw error;
      }
      this.logger.debug(`event ${svixId} (${event.type}) takes the transactional path: ${describeError(error)}`);
      return undefined;
    }
  }

  private async runInTransaction(svixId: string, event: ClerkWebhookEvent, handlers: RegisteredClerkHandler[]): Promise<ClerkWebhookOutcome> {
    for (let attempt = 1; ; attempt++) {
      let transaction: EntityManager | undefined;
      try {
        const outcome = await this.dataSource.transaction((manager) => {
          transaction = manager;
          trackCommit(manager);
          return this.claimAndRun(manager, svixId, event, handlers);
        });
        if (transaction) await flushAfterCommit(transaction);
        return outcome;
      } catch (error) {
        if (transaction) discardAfterCommit(transaction);
        // A concurrent writer inserted the same user (or org) first; nothing of this attempt is left, run it again once.
        if (attempt === 1 && isUniqueViolation(error)) continue;
        await this.recordFailure(svixId, event, error);
        throw error;
      }
    }
  }

  private async claimAndRun(manager: EntityManager, svixId: string, event: ClerkWebhookEvent, handlers: RegisteredClerkHandler[]): Promise<ClerkWebhookOutcome> {
    // One statement claims the id and marks it processed: it only counts if the transaction commits.
    // A concurrent delivery of the same id waits on the row, then finds it processed (duplicate).
    const claimed = (await manager.query(this.sql.claimOne, [svixId, event.type, clerkUserIdOfEvent(event)])) as unknown[];
    if (!claimed.length) return 'duplicate';
    for (const entry of handlers) await entry.handler(event, { svixId, manager });
    return 'processed';
  }

  /**
   * A refused payload (`InvalidClerkPayloadError`, answered 400) is recorded as `refused: …`: it
   * stays unprocessed, so a retry of the same svix id is mapped, refused and recorded again, writing nothing.
   */
  private async recordFailure(svixId: string, event: ClerkWebhookEvent, error: unknown): Promise<void> {
    const { type } = event;
    const refused = error instanceof InvalidClerkPayloadError;
    const detail = refused ? `refused: ${describeError(error)}` : describeError(error);
    if (refused) this.logger.warn(`event ${svixId} (${type}) refused as invalid (400), nothing written: ${detail}`);
    else this.logger.error(`event ${svixId} (${type}) failed and was rolled back; Svix will retry: ${detail}`);
    try {
      await this.dataSource.query(this.sql.recordFailure, [svixId, type, detail.slice(0, MAX_ERROR_LENGTH), clerkUserIdOfEvent(event)]);
    } catch (recordError) {
      this.logger.warn(`could not record the failed attempt of ${svixId}: ${describeError(recordError)}`);
    }
  }

  private async runAfterCommit(svixId: string, event: ClerkWebhookEvent, handlers: RegisteredClerkHandler[]): Promise<void> {
    for (const entry of handlers) {
      try {
        await entry.handler(event, { svixId, manager: this.dataSource.manager });
      } catch (error) {
        // The committed part stands: an after-commit failure is recorded, never re-run through a retry.
        this.logger.error(`after-commit handler ${entry.name} failed for ${svixId} (${event.type}): ${describeError(error)}`);
        await this.dataSource.query(this.sql.recordAfterCommitError, [svixId, `${entry.name}: ${describeError(error)}`]).catch(() => undefined);
      }
    }
  }

  private pruneSometimes(): void {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_INTERVAL_MS) return;
    this.lastPrune = now;
    this.prune().catch((error: unknown) => this.logger.warn(`pruning webhook events failed: ${describeError(error)}`));
  }
}
