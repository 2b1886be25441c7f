import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DATA_DIR } from './sample-config.js';

/** Where the sample's data lives: `DATABASE_URL`, or an embedded PostgreSQL persisted under `.data/`. */
export interface SampleDatabase {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function startDatabase(): Promise<SampleDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, close: async () => undefined };
  const dir = join(DATA_DIR, 'pgdata');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
  await server.start();
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
