import type { Repository } from 'typeorm';
import { entitySqlNames } from '../common/entity-sql-names.js';
import { isUniqueViolation } from '../common/unique-violation.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';

interface PendingLink {
  id: string;
  clerkId: string;
  resolve(linked: boolean): void;
  reject(error: unknown): void;
}

/** Rows linked per statement; a statement waits at most this long for more (a 10,000-row run makes ~200 statements, not 10,000). */
const BATCH = 50;
const WAIT_MS = 5;

/**
 * Sets `clerkId` on migrated rows once Clerk has confirmed their users, many rows per UPDATE: one
 * statement per row cost a database round trip and about as much CPU as the Clerk call itself
 * (profiled in bench:migrate). A row that got a Clerk identity meanwhile is left as it is.
 */
export class RowLinker {
  private pending: PendingLink[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly statement: string;

  constructor(private readonly repository: Repository<AbstractClerkUser>) {
    const { table, column } = entitySqlNames(repository.metadata, ['id', 'clerkId'], 'user entities must extend AbstractClerkUser');
    const idType = repository.metadata.findColumnWithPropertyName('id')?.type === 'uuid' ? 'uuid' : 'varchar';
    this.statement = `UPDATE ${table} AS t SET ${column('clerkId')} = v.clerk_id FROM unnest($1::${idType}[], $2::varchar[]) AS v(id, clerk_id)
      WHERE t.${column('id')} = v.id AND t.${column('clerkId')} IS NULL RETURNING t.${column('id')} AS id`;
  }

  /** Links the row; `false` when it already had a Clerk identity. Rejects when another row holds `clerkId`. */
  link(id: string, clerkId: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ id, clerkId, resolve, reject });
      if (this.pending.length >= BATCH) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), WAIT_MS);
    });
  }

  /** Writes what is pending now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending.splice(0);
    if (!batch.length) return;
    try {
      await this.write(batch);
    } catch (error) {
      // One row's Clerk id is held by another row: write them one by one, so only that one fails.
      if (batch.length === 1 || !isUniqueViolation(error)) return batch.forEach((link) => link.reject(error));
      for (const link of batch) await this.write([link]).catch((rowError: unknown) => link.reject(rowError));
    }
  }

  private async write(batch: PendingLink[]): Promise<void> {
    const result: unknown = await this.repository.query(this.statement, [batch.map((link) => link.id), batch.map((link) => link.clerkId)]);
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected count].
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Array<{ id: string }>;
    const linked = new Set(rows.map((row) => String(row.id)));
    for (const link of batch) link.resolve(linked.has(link.id));
  }
}
