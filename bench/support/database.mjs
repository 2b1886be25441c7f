// DATABASE_URL / TEST_DATABASE_URL when set, else an embedded PGlite served over the wire protocol.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export async function startDatabase() {
  const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => {} };
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
  await server.start();
  const { port } = server.server.address();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
