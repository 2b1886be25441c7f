import type { Provider, Type } from '@nestjs/common';
import type * as Swagger from '@nestjs/swagger';
import { exportOf, loadOptionalPeer } from '../auth/transports/optional-peer.js';

type Decorators = Pick<typeof Swagger, 'ApiTags' | 'ApiOperation' | 'ApiQuery' | 'ApiBody' | 'ApiExcludeEndpoint'>;
type QueryDoc = { name: string; type: 'string' | 'boolean' | 'integer'; description: string; enum?: string[] };
type MethodDoc = { summary: string; query?: QueryDoc[]; body?: Record<string, unknown> };

const page: QueryDoc[] = [
  { name: 'cursor', type: 'string', description: '`nextCursor` of the previous page' },
  { name: 'limit', type: 'integer', description: '1–200, default 50' },
];
const flag = (name: string, description: string): QueryDoc => ({ name, type: 'boolean', description });
const flags = {
  type: 'object',
  additionalProperties: false,
  properties: { isActive: { type: 'boolean' }, isStaff: { type: 'boolean' }, isSuperuser: { type: 'boolean' } },
  description: 'Only these local flags are writable (never on your own account, never removing the last active superuser).',
};

/** What Swagger shows for each console route, by handler name. */
const DOCS: Record<string, MethodDoc> = {
  list: {
    summary: 'Users, newest first (keyset pages)',
    query: [
      { name: 'search', type: 'string', description: 'Prefix of email, username, first name, "first last", last name or Clerk id (case-insensitive)' },
      flag('active', 'isActive'),
      flag('staff', 'isStaff'),
      flag('superuser', 'isSuperuser'),
      flag('hasClerkId', 'whether the row is linked to a Clerk user'),
      { name: 'createdFrom', type: 'string', description: 'ISO date: created at or after' },
      { name: 'createdTo', type: 'string', description: 'ISO date: created before' },
      ...page,
    ],
  },
  detail: { summary: "A user: every local column (the app's own too), memberships" },
  update: { summary: 'Change local flags (audited)', body: flags },
  resync: { summary: 'Bring the row up to date from Clerk (audited)' },
  revokeSessions: { summary: "Revoke all the user's Clerk sessions (audited)" },
  ban: { summary: 'Ban the user in Clerk; the row is inactive at once (audited)' },
  unban: { summary: 'Lift the ban in Clerk (audited)' },
  signInLink: {
    summary: 'Create a one-time sign-in link (shown once, never stored; audited)',
    body: {
      type: 'object',
      required: ['redirectUrl'],
      properties: { redirectUrl: { type: 'string', description: 'On one of authorizedParties' }, expiresInSeconds: { type: 'integer', minimum: 60, maximum: 86400, default: 900 } },
    },
  },
  listOrganizations: { summary: 'Organizations by name (OrganizationsModule)', query: [{ name: 'search', type: 'string', description: 'Prefix of name, slug or Clerk id' }, ...page] },
  organization: { summary: 'An organization, its members with roles and pending invitations' },
  listWebhookEvents: {
    summary: 'Webhook deliveries, failures first, then newest; the first page carries the last 24 h counts',
    query: [{ name: 'outcome', type: 'string', enum: ['failed', 'processed'], description: 'Only this outcome' }, { name: 'type', type: 'string', description: 'Event type, e.g. user.updated' }, ...page],
  },
  listAudit: { summary: 'Changes made in the console, newest first', query: [{ name: 'userId', type: 'string', description: 'Only changes to this user' }, ...page] },
};

function document(swagger: Decorators, controllers: Type[]): void {
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
      const doc = DOCS[name];
      if (!doc) {
        swagger.ApiExcludeEndpoint()(prototype, name, descriptor); // the page and its assets
        continue;
      }
      swagger.ApiOperation({ summary: doc.summary })(prototype, name, descriptor);
      for (const query of doc.query ?? []) {
        swagger.ApiQuery({ name: query.name, required: false, description: query.description, schema: { type: query.type, ...(query.enum ? { enum: query.enum } : {}) } })(prototype, name, descriptor);
      }
      if (doc.body) swagger.ApiBody({ schema: doc.body })(prototype, name, descriptor);
    }
    swagger.ApiTags('clerk-console')(controller);
  }
}

/**
 * Documents the console's routes for Swagger when `@nestjs/swagger` (an optional peer) is installed.
 * A provider so it runs while the app is created, before the app builds its document.
 */
export function consoleApiDocsProvider(controllers: Type[]): Provider {
  return {
    provide: Symbol.for('nestjs-clerk-users:console-api-docs'),
    useFactory: async () => {
      const namespace = await loadOptionalPeer('@nestjs/swagger');
      const names = ['ApiTags', 'ApiOperation', 'ApiQuery', 'ApiBody', 'ApiExcludeEndpoint'] as const;
      const decorators = Object.fromEntries(names.map((name) => [name, exportOf(namespace, name)]));
      if (names.every((name) => typeof decorators[name] === 'function')) document(decorators as unknown as Decorators, controllers);
      return true;
    },
  };
}
