import type { Logger as TypeOrmLogger } from 'typeorm';

/** TypeORM logger that counts the queries sent to the database. */
export class QueryCounter implements TypeOrmLogger {
  count = 0;
  readonly queries: string[] = [];

  logQuery(query: string): void {
    this.count++;
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  reset(): void {
    this.count = 0;
    this.queries.length = 0;
  }
}
