import { createHash } from 'node:crypto';
import { QueryFailedError, type DataSource } from 'typeorm';

/** The part of a node-postgres client used here. */
interface NamedQueryClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** SQLSTATEs of a connection whose prepared statements are not its own (a transaction-mode pooler, one shared session). */
const FOREIGN_SESSION_CODES = new Set(['26000', '42P05']);

/**
 * One SQL text run as a named prepared statement on the pooled PostgreSQL connections: parsed and
 * planned once per connection instead of on every call, which for a statement of several CTEs is
 * most of its server time. Logged through the data source's logger like any query. Other drivers,
 * and connections that turn out not to keep prepared statements, get a plain `query()`.
 */
export class PreparedStatement {
  private readonly name: string;
  private named: boolean;

  constructor(
    private readonly dataSource: DataSource,
    readonly text: string,
  ) {
    this.name = `clerk_users_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    this.named = dataSource.options.type === 'postgres';
  }

  async run<T>(params: unknown[]): Promise<T[]> {
    if (!this.named) return (await this.dataSource.query(this.text, params)) as T[];
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const client = (await runner.connect()) as Partial<NamedQueryClient>;
      if (typeof client.query !== 'function') {
        this.named = false;
        return (await runner.query(this.text, params)) as T[];
      }
      this.dataSource.logger.logQuery(this.text, params, runner);
      try {
        return (await client.query({ name: this.name, text: this.text, values: params })).rows as T[];
      } catch (error) {
        if (FOREIGN_SESSION_CODES.has((error as { code?: string }).code ?? '')) this.named = false;
        this.dataSource.logger.logQueryError(error as Error, this.text, params, runner);
        throw new QueryFailedError(this.text, params, error as Error);
      }
    } finally {
      await runner.release();
    }
  }
}
