import { Inject, Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import { CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { entitySqlNames } from '../common/entity-sql-names.js';
import { userSearchKeys, userSortKeys, type ConsoleUserColumns } from '../migrations/clerk-console-keys.sql.js';
import { decodeCursor, encodeCursor, KEY_TEXT, TIMESTAMP_TEXT } from './keyset-cursor.js';
import { likePrefix, type ConsolePage } from './console-list-params.js';

/** Filters of `GET <path>/api/users`. */
export interface ConsoleUserFilters {
  /** Prefix of the email, username, first name, "first last", last name or Clerk id, case-insensitive. */
  search?: string;
  active?: boolean;
  staff?: boolean;
  superuser?: boolean;
  hasClerkId?: boolean;
  createdFrom?: Date;
  createdTo?: Date;
  cursor?: string;
  limit: number;
}

/** A user as the list shows it. */
export interface ConsoleUserSummary {
  id: string;
  clerkId: string | null;
  email: string | null;
  username: string | null;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  lastLogin: Date | null;
  createdAt: Date;
}

const SUMMARY = ['id', 'clerkId', 'email', 'username', 'firstName', 'lastName', 'isActive', 'isStaff', 'isSuperuser', 'lastLogin', 'createdAt'] as const;

/** A statement and its parameters. */
export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * The users list: keyset pages newest first over the console's expression indexes (see
 * `clerk-console-keys.sql.ts`), so a page costs the same on row 10 and row 1,000,000. Names come
 * from the entity metadata: the app's own entity and naming strategy are respected.
 */
@Injectable()
export class ConsoleUserListQuery {
  constructor(@Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>) {}

  async list(filters: ConsoleUserFilters): Promise<ConsolePage<ConsoleUserSummary>> {
    const { sql, params } = this.statement(filters);
    const rows = (await this.repository.query(sql, params)) as Array<ConsoleUserSummary & { sortCreated: string; sortId: string }>;
    const page = rows.slice(0, filters.limit);
    const last = page.at(-1);
    return {
      items: page.map(({ sortCreated: _c, sortId: _i, ...user }) => user),
      nextCursor: rows.length > filters.limit && last ? encodeCursor([last.sortCreated, last.sortId]) : null,
    };
  }

  /** The statement `list` runs (one more row than the page, to know whether another follows). */
  statement(filters: ConsoleUserFilters): SqlQuery {
    const names = entitySqlNames(this.repository.metadata, SUMMARY, 'the staff console lists it');
    const c = Object.fromEntries(SUMMARY.map((p) => [p, names.column(p)])) as unknown as ConsoleUserColumns & Record<(typeof SUMMARY)[number], string>;
    const [created, id] = userSortKeys(c);
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (filters.search) {
      const pattern = param(likePrefix(filters.search.toLowerCase()));
      where.push(`(${userSearchKeys(c).map((key) => `${key} LIKE ${pattern}`).join(' OR ')})`);
    }
    // Spelled as the partial indexes' predicates, so those small indexes serve the rare subsets.
    if (filters.active !== undefined) where.push(filters.active ? c.isActive : `NOT ${c.isActive}`);
    if (filters.staff !== undefined) where.push(filters.staff ? c.isStaff : `NOT ${c.isStaff}`);
    if (filters.superuser !== undefined) where.push(filters.superuser ? c.isSuperuser : `NOT ${c.isSuperuser}`);
    if (filters.hasClerkId !== undefined) where.push(filters.hasClerkId ? `${c.clerkId} IS NOT NULL` : `${c.clerkId} IS NULL`);
    if (filters.createdFrom) where.push(`${created} >= timezone('UTC', ${param(filters.createdFrom.toISOString())}::timestamptz)`);
    if (filters.createdTo) where.push(`${created} < timezone('UTC', ${param(filters.createdTo.toISOString())}::timestamptz)`);
    const after = decodeCursor(filters.cursor, [TIMESTAMP_TEXT, KEY_TEXT]);
    if (after) where.push(`(${created}, ${id}) < (${param(after[0])}::timestamp, ${param(after[1])}::text)`);
    const columns = SUMMARY.map((p) => `${c[p]} AS "${p}"`).join(', ');
    return {
      sql:
        `SELECT ${columns}, ${created}::text AS "sortCreated", ${id} AS "sortId" FROM ${names.table}` +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY ${created} DESC, ${id} DESC LIMIT ${param(filters.limit + 1)}`,
      params,
    };
  }
}
