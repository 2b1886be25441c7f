import { QueryFailedError } from 'typeorm';

/** Whether a query failed on a unique index (PostgreSQL 23505): typically a concurrent insert of the same row won. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
}
