import { isClerkAPIResponseError } from '@clerk/shared/error';
import type { DataSource } from 'typeorm';
import { ClerkUser } from '../../lib/index.js';
import type { FakeClerkApi, RecordedRequest } from '../../lib/testing/index.js';

/** The local row of a Clerk user, read straight from the database (no cache). */
export function localRow(dataSource: DataSource, clerkId: string): Promise<ClerkUser | null> {
  return dataSource.getRepository(ClerkUser).findOneBy({ clerkId });
}

/**
 * The row's PostgreSQL `xmin` (the transaction that last wrote it): unchanged means no statement
 * wrote the row, not even an UPDATE setting the same values.
 */
export async function rowVersion(dataSource: DataSource, clerkId: string): Promise<string> {
  const metadata = dataSource.getMetadata(ClerkUser);
  const column = metadata.findColumnWithPropertyName('clerkId')!.databaseName;
  const rows: Array<{ xmin: string }> = await dataSource.query(`SELECT xmin::text AS xmin FROM "${metadata.tableName}" WHERE "${column}" = $1`, [clerkId]);
  if (rows.length !== 1) throw new Error(`no local row for ${clerkId}`);
  return rows[0].xmin;
}

/** `METHOD /path` of the requests the fake received since its last `clearRequests()`. */
export function calls(api: FakeClerkApi, filter: (request: RecordedRequest) => boolean = () => true): string[] {
  return api.requests.filter(filter).map((request) => `${request.method} ${request.path}`);
}

/** The first Clerk error of a rejected Backend API call: its status, code, `meta.param_name` and Retry-After. */
export async function clerkRefusal(call: Promise<unknown>): Promise<{ status: number; code: string | undefined; param: string | undefined; retryAfter: number | undefined }> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isClerkAPIResponseError(error)) throw new Error(`expected a ClerkAPIResponseError, got ${String(error)}`);
  return { status: error.status, code: error.errors[0]?.code, param: error.errors[0]?.meta?.paramName, retryAfter: error.retryAfter };
}
