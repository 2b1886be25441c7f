import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource, type DataSourceOptions, type Repository } from 'typeorm';
import { CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { CLERK_MEMBERSHIP_REPOSITORY, CLERK_ORGANIZATION_REPOSITORY } from '../organizations/organizations.constants.js';

/** What a shared-cache entry belongs to: it may be read back only by an app with the same parts. */
export interface CacheNamespaceParts {
  /** The option `cacheKeyPrefix`, kept readable at the head of every key. */
  prefix?: string;
  /** The Clerk instance: its keys (hashed with the rest, never stored) and the Backend API origin. */
  clerk: { secretKey?: string; jwtKey?: string; publishableKey?: string; apiUrl: string };
  /** The database the rows come from (type, host, port, database name; credentials left out). */
  database: ReadonlyArray<string | number | null>;
  /** Schema-qualified names of the tables whose rows are cached (users; organizations and memberships when loaded). */
  tables: readonly string[];
}

/**
 * `[<cacheKeyPrefix>:]<fingerprint>`: what every shared-cache key of one app starts with. The
 * fingerprint is 16 base64url characters (96 bits) of a SHA-256 over the Clerk instance and the
 * app's tables, so two apps on one Redis share nothing unless both are the same; the secret key is
 * hashed, never part of a key.
 */
export function cacheNamespaceOf(parts: CacheNamespaceParts): string {
  const { secretKey, jwtKey, publishableKey, apiUrl } = parts.clerk;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(['clerk-cache-v1', [secretKey ?? null, jwtKey ?? null, publishableKey ?? null, apiUrl], parts.database, parts.tables]))
    .digest('base64url')
    .slice(0, 16);
  return parts.prefix ? `${parts.prefix}:${fingerprint}` : fingerprint;
}

type ConnectionFields = { type?: string; url?: string; host?: string; port?: number | string; database?: string };

/**
 * Type, host, port and database of a DataSource's (primary) connection, as TypeORM reads them: the
 * `url` wins over the separate fields. Credentials are left out, so rotating a password keeps the cache.
 */
export function databaseIdentityOf(options: DataSourceOptions): Array<string | number | null> {
  const given = options as ConnectionFields & { replication?: { master?: ConnectionFields } };
  const primary: ConnectionFields = given.replication?.master ?? given;
  let fromUrl: ConnectionFields = {};
  if (primary.url) {
    try {
      const url = new URL(primary.url);
      fromUrl = { host: url.hostname, port: url.port || undefined, database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined };
    } catch {
      // Not a URL TypeORM could connect with either; hashed as given (it never appears in a key).
      fromUrl = { host: primary.url };
    }
  }
  const port = fromUrl.port ?? primary.port;
  return [given.type ?? null, fromUrl.host ?? primary.host ?? null, port === undefined ? null : String(port), fromUrl.database ?? primary.database ?? null];
}

/**
 * The namespace of this app's shared-cache keys, worked out once (on first use: every module's
 * providers exist by then, the organizations' repositories included when `OrganizationsModule` is
 * loaded) from the Clerk options, the DataSource and the cached tables; see {@link cacheNamespaceOf}.
 */
@Injectable()
export class ClerkCacheNamespace {
  private computed: string | undefined;

  constructor(
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly dataSource: DataSource,
    @Inject(CLERK_USER_REPOSITORY) private readonly users: Repository<object>,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** `[<cacheKeyPrefix>:]<fingerprint>`. */
  get value(): string {
    this.computed ??= cacheNamespaceOf({
      prefix: this.options.cacheKeyPrefix,
      clerk: this.options,
      database: databaseIdentityOf(this.dataSource.options),
      tables: [this.users, this.optional(CLERK_ORGANIZATION_REPOSITORY), this.optional(CLERK_MEMBERSHIP_REPOSITORY)].map((repository) => repository?.metadata.tablePath ?? ''),
    });
    return this.computed;
  }

  /** A repository of another module (organizations), or `undefined` when that module is not loaded. */
  private optional(token: symbol): Repository<object> | undefined {
    try {
      return this.moduleRef.get<Repository<object>>(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}
