import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ClerkWebhookEventRecord } from '../webhooks/clerk-webhook-event-record.entity.js';
import { entitySqlNames } from '../common/entity-sql-names.js';
import { webhookReceivedKey, webhookSortKeys } from '../migrations/clerk-console-keys.sql.js';
import { decodeCursor, encodeCursor, KEY_TEXT, TIMESTAMP_TEXT } from './keyset-cursor.js';
import type { ConsolePage } from './console-list-params.js';
import type { SqlQuery } from './console-user-list.query.js';

/** `failed`: not processed (its last attempt failed or was refused); `processed`: its effects committed. */
export type ConsoleWebhookOutcome = 'failed' | 'processed';

/** A delivery as the console lists it. */
export interface ConsoleWebhookEvent {
  svixId: string;
  type: string;
  outcome: ConsoleWebhookOutcome;
  receivedAt: Date;
  processedAt: Date | null;
  attempts: number;
  lastError: string | null;
}

/** Deliveries of one type and outcome over the last 24 hours. */
export interface ConsoleWebhookCount {
  type: string;
  outcome: ConsoleWebhookOutcome;
  count: number;
}

/** `GET <path>/api/webhook-events`: a page, and on the first page the last 24 hours' counts. */
export interface ConsoleWebhookEventsPage extends ConsolePage<ConsoleWebhookEvent> {
  last24h: ConsoleWebhookCount[] | null;
}

const COLUMNS = ['svixId', 'type', 'receivedAt', 'processedAt', 'attempts', 'lastError'] as const;

/** Webhook deliveries, failures first, then the newest: keyset pages over the console's index. */
@Injectable()
export class ConsoleWebhookEventsQuery {
  constructor(@InjectRepository(ClerkWebhookEventRecord) private readonly repository: Repository<ClerkWebhookEventRecord>) {}

  private names() {
    const names = entitySqlNames(this.repository.metadata, COLUMNS, 'the staff console lists it');
    return { table: names.table, c: Object.fromEntries(COLUMNS.map((p) => [p, names.column(p)])) as Record<(typeof COLUMNS)[number], string> };
  }

  async list(filters: { outcome?: ConsoleWebhookOutcome; type?: string; cursor?: string; limit: number }): Promise<ConsoleWebhookEventsPage> {
    const { sql, params } = this.statement(filters);
    const rows = (await this.repository.query(sql, params)) as Array<Omit<ConsoleWebhookEvent, 'outcome'> & { sortFailed: boolean; sortReceived: string; sortId: string }>;
    const page = rows.slice(0, filters.limit);
    const last = page.at(-1);
    return {
      items: page.map(({ sortFailed, sortReceived: _r, sortId: _i, ...event }) => ({ ...event, outcome: sortFailed ? 'failed' : 'processed' })),
      nextCursor: rows.length > filters.limit && last ? encodeCursor([String(last.sortFailed), last.sortReceived, last.sortId]) : null,
      last24h: filters.cursor ? null : await this.countsSince(24),
    };
  }

  /** The statement `list` runs. */
  statement(filters: { outcome?: ConsoleWebhookOutcome; type?: string; cursor?: string; limit: number }): SqlQuery {
    const { table, c } = this.names();
    const [failed, received, id] = webhookSortKeys(c);
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (filters.outcome) where.push(`${failed} = ${filters.outcome === 'failed' ? 'true' : 'false'}`);
    if (filters.type) where.push(`${c.type} = ${param(filters.type)}`);
    const after = decodeCursor(filters.cursor, [/^(true|false)$/, TIMESTAMP_TEXT, KEY_TEXT]);
    if (after) where.push(`(${failed}, ${received}, ${id}) < (${param(after[0])}::boolean, ${param(after[1])}::timestamp, ${param(after[2])}::text)`);
    const columns = COLUMNS.map((p) => `${c[p]} AS "${p}"`).join(', ');
    return {
      sql:
        `SELECT ${columns}, ${failed} AS "sortFailed", ${received}::text AS "sortReceived", ${id} AS "sortId" FROM ${table}` +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY ${failed} DESC, ${received} DESC, ${id} DESC LIMIT ${param(filters.limit + 1)}`,
      params,
    };
  }

  /** Deliveries received in the last `hours`, per type and outcome. */
  async countsSince(hours: number): Promise<ConsoleWebhookCount[]> {
    const { table, c } = this.names();
    const rows = (await this.repository.query(
      `SELECT ${c.type} AS "type", (${c.processedAt} IS NULL) AS "failed", count(*)::int AS "count" FROM ${table}
        WHERE ${webhookReceivedKey(c)} >= timezone('UTC', now() - make_interval(hours => $1))
        GROUP BY 1, 2 ORDER BY 1, 2 DESC`,
      [hours],
    )) as Array<{ type: string; failed: boolean; count: number }>;
    return rows.map((row) => ({ type: row.type, outcome: row.failed ? 'failed' : 'processed', count: row.count }));
  }
}
