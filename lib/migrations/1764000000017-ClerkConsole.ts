import type { EntityMetadata, MigrationInterface, QueryRunner } from 'typeorm';
import { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkWebhookEventRecord } from '../webhooks/clerk-webhook-event-record.entity.js';
import { entitySqlNames } from '../common/entity-sql-names.js';
import {
  userFilterPredicates,
  userSearchKeys,
  userSortKeys,
  webhookReceivedKey,
  webhookSortKeys,
  type ConsoleUserColumns,
  type ConsoleWebhookColumns,
} from './clerk-console-keys.sql.js';

const USER_PROPERTIES = ['id', 'createdAt', 'clerkId', 'email', 'username', 'firstName', 'lastName', 'isActive', 'isStaff', 'isSuperuser'] as const;

/** The user entity of the DataSource running the migration (`ClerkUser` or the app's own subclass). */
function userMetadata(queryRunner: QueryRunner): EntityMetadata | undefined {
  return queryRunner.connection.entityMetadatas.find(
    (metadata) => typeof metadata.target === 'function' && metadata.target.prototype instanceof AbstractClerkUser,
  );
}

interface ConsoleTables {
  /** The quoted schema of the DataSource and a dot, or nothing: where the audit table goes. */
  schema: string;
  users: { table: string; schema: string; columns: ConsoleUserColumns };
  webhooks: { table: string; schema: string; columns: ConsoleWebhookColumns };
}

/** Table and column names as the DataSource maps them; `ClerkUser`'s defaults when it lists no such entity. */
function consoleTables(queryRunner: QueryRunner): ConsoleTables {
  const quote = (name: string) => `"${name}"`;
  const user = userMetadata(queryRunner);
  const userNames = user ? entitySqlNames(user, USER_PROPERTIES, 'the staff console indexes it') : null;
  const userColumns = Object.fromEntries(USER_PROPERTIES.map((p) => [p, userNames ? userNames.column(p) : quote(p)])) as unknown as ConsoleUserColumns;
  const webhook = queryRunner.connection.entityMetadatas.find((metadata) => metadata.target === ClerkWebhookEventRecord);
  const webhookNames = webhook ? entitySqlNames(webhook, ['svixId', 'receivedAt', 'processedAt'] as const, 'the staff console indexes it') : null;
  const defaultSchema = (queryRunner.connection.options as { schema?: string }).schema;
  const schemaOf = (metadata: EntityMetadata | undefined) => {
    const schema = metadata?.schema ?? defaultSchema;
    return schema ? `${quote(schema)}.` : '';
  };
  return {
    schema: schemaOf(undefined),
    users: { table: userNames?.table ?? `${schemaOf(undefined)}${quote('clerk_users')}`, schema: schemaOf(user), columns: userColumns },
    webhooks: {
      table: webhookNames?.table ?? `${schemaOf(undefined)}${quote('clerk_webhook_events')}`,
      schema: schemaOf(webhook),
      columns: webhookNames
        ? { svixId: webhookNames.column('svixId'), receivedAt: webhookNames.column('receivedAt'), processedAt: webhookNames.column('processedAt') }
        : { svixId: quote('svix_id'), receivedAt: quote('received_at'), processedAt: quote('processed_at') },
    },
  };
}

/** The index names this migration creates, for `down`. */
const USER_SEARCH_INDEXES = ['email', 'username', 'name', 'last_name', 'clerk_id'].map((key) => `IDX_clerk_console_users_search_${key}`);

/**
 * The staff console (`ClerkConsoleModule`): its audit table `clerk_console_audit`, and the indexes
 * its lists page and search through (keyset order, prefix search, the rare subsets, webhook
 * deliveries failures first). It indexes the user table of the DataSource it runs in, so it works
 * for `ClerkUser` and for an app's own entity alike.
 */
export class ClerkConsole1764000000017 implements MigrationInterface {
  name = 'ClerkConsole1764000000017';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { schema, users, webhooks } = consoleTables(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${schema}"clerk_console_audit" (
        "id" BIGSERIAL NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "actor_user_id" uuid,
        "actor" character varying(400) NOT NULL,
        "action" character varying(40) NOT NULL,
        "target_user_id" uuid,
        "target" character varying(400),
        "before" jsonb,
        "after" jsonb,
        CONSTRAINT "PK_clerk_console_audit" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_clerk_console_audit_target" ON ${schema}"clerk_console_audit" ("target_user_id")`);
    const [created, id] = userSortKeys(users.columns);
    await queryRunner.query(`CREATE INDEX "IDX_clerk_console_users_sort" ON ${users.table} (${created} DESC, ${id} DESC)`);
    const search = userSearchKeys(users.columns);
    for (const [i, key] of search.entries()) {
      await queryRunner.query(`CREATE INDEX "${USER_SEARCH_INDEXES[i]}" ON ${users.table} (${key} text_pattern_ops)`);
    }
    for (const [subset, predicate] of Object.entries(userFilterPredicates(users.columns))) {
      await queryRunner.query(`CREATE INDEX "IDX_clerk_console_users_${subset}" ON ${users.table} (${created} DESC, ${id} DESC) WHERE ${predicate}`);
    }

    const [failed, received, svixId] = webhookSortKeys(webhooks.columns);
    await queryRunner.query(`CREATE INDEX "IDX_clerk_console_webhooks_sort" ON ${webhooks.table} (${failed} DESC, ${received} DESC, ${svixId} DESC)`);
    await queryRunner.query(`CREATE INDEX "IDX_clerk_console_webhooks_received" ON ${webhooks.table} (${webhookReceivedKey(webhooks.columns)})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { schema, users, webhooks } = consoleTables(queryRunner);
    for (const index of ['IDX_clerk_console_webhooks_received', 'IDX_clerk_console_webhooks_sort']) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${webhooks.schema}"${index}"`);
    }
    const subsets = Object.keys(userFilterPredicates(users.columns)).map((subset) => `IDX_clerk_console_users_${subset}`);
    for (const index of [...subsets, ...USER_SEARCH_INDEXES, 'IDX_clerk_console_users_sort']) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${users.schema}"${index}"`);
    }
    await queryRunner.query(`DROP TABLE ${schema}"clerk_console_audit"`);
  }
}
