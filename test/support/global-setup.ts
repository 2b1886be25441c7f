import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { AddressInfo } from 'node:net';

/**
 * `TEST_DATABASE_URL` (a real PostgreSQL, as CI sets it) or else an embedded PGlite served over the
 * PostgreSQL wire protocol, so TypeORM uses the same `pg` driver either way.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 50 });
  await server.start();
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  process.env.TEST_DATABASE_EMBEDDED = '1';
  (globalThis as Record<string, unknown>).__PGLITE__ = { db, server };
}
