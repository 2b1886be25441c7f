import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { AppUser } from '../app-user.entity.js';
import { SEED_USERS, STAFF_ACCOUNT_EMAIL } from './seed.js';

/** Why the sample will not start as configured; `main.ts` prints the message (never a value) and exits 1. */
export class SampleStartRefused extends Error {
  override readonly name = 'SampleStartRefused';
}

/** Clerk SDK switches that name no instance and hold no key (CI sets the first for every run). */
const NOT_CLERK_SETTINGS = new Set(['CLERK_TELEMETRY_DISABLED', 'CLERK_TELEMETRY_DEBUG']);

/**
 * `CLERK_*` variables present with a value, by name only. An empty value counts as unset (the
 * shell's `CLERK_SECRET_KEY=` idiom); anything else, blank-looking or not, is a Clerk setting,
 * except the SDK's telemetry switches.
 */
export function configuredClerkVariables(env: Record<string, string | undefined> = process.env): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('CLERK_') && !NOT_CLERK_SETTINGS.has(name) && env[name] !== undefined && env[name] !== '')
    .sort();
}

/**
 * The emulator starts only where it cannot be mistaken for a real set-up: no `CLERK_*` variable at
 * all, and the embedded database (it seeds users and a staff account whose password it prints,
 * which must never land in a database the app uses otherwise).
 */
export function assertEmulatorAllowed(env: Record<string, string | undefined> = process.env): void {
  const clerk = configuredClerkVariables(env);
  if (clerk.length) {
    throw new SampleStartRefused(
      `${clerk.join(', ')} ${clerk.length === 1 ? 'is' : 'are'} set, but neither CLERK_SECRET_KEY nor CLERK_JWT_KEY holds a key. ` +
        'The Clerk emulator never starts beside Clerk settings: set a real key, or unset every CLERK_* variable to use the emulator.',
    );
  }
  if (env.DATABASE_URL) {
    throw new SampleStartRefused(
      'DATABASE_URL is set: the Clerk emulator seeds its database (users, and a staff account whose password it prints), so it runs on the ' +
        'embedded database only. Unset DATABASE_URL to use the emulator, or configure real Clerk keys.',
    );
  }
}

/**
 * With real keys: refuses a database the emulator seeded (its users, and with them the staff
 * account whose password went to a console), which would otherwise keep signing in.
 */
export async function assertNoEmulatorData(app: INestApplication, embeddedDatabase: boolean): Promise<void> {
  const users = app.get(DataSource).getRepository(AppUser);
  const seeded = await users.existsBy({ clerkId: In(SEED_USERS.map((user) => user.id)) });
  if (!seeded) return;
  const staff = await users.existsBy({ email: STAFF_ACCOUNT_EMAIL, clerkId: IsNull() });
  throw new SampleStartRefused(
    `this database holds the Clerk emulator's seed data (its users${staff ? ` and the ${STAFF_ACCOUNT_EMAIL} staff account whose password it printed` : ''}); ` +
      'the sample does not start on it with real keys. ' +
      (embeddedDatabase
        ? 'Delete the embedded database (sample-app/.data/pgdata, or pgdata under SAMPLE_DATA_DIR) and start again.'
        : `Remove those rows (app_users whose clerkId starts with user_sample, and ${STAFF_ACCOUNT_EMAIL}) or use another database.`),
  );
}

/**
 * DNS rebinding: a page of another site whose host name is re-pointed at 127.0.0.1 would reach the
 * emulator as its own origin and could mint session tokens (`POST /emulator/session`). In emulator
 * mode every HTTP request and WebSocket upgrade whose `Host` is not the sample's own is answered
 * 403 before any route, socket.io or GraphQL sees it. Call it after `app.init()` (when the gateways
 * have attached) and before `listen()`. Node's server has no host filter of its own, and the
 * listeners are wrapped rather than an Express middleware so socket.io's polling and upgrades are
 * covered too.
 */
export function refuseForeignHosts(server: Server, allowedHosts: readonly string[]): void {
  const allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
  const isAllowed = (request: IncomingMessage): boolean => allowed.has((request.headers.host ?? '').toLowerCase());

  const requestListeners = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (isAllowed(request)) {
      for (const listener of requestListeners) listener.call(server, request, response);
      return;
    }
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    response.end(`Host not allowed: in emulator mode the sample answers only ${[...allowed].join(' and ')}\n`);
  });

  const upgradeListeners = server.listeners('upgrade') as Array<(request: IncomingMessage, socket: Duplex, head: Buffer) => void>;
  server.removeAllListeners('upgrade');
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (isAllowed(request)) {
      for (const listener of upgradeListeners) listener.call(server, request, socket, head);
      return;
    }
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}
