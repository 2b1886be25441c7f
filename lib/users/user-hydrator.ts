import type { Repository } from 'typeorm';
import type { AbstractClerkUser } from './abstract-clerk-user.entity';

const DATE_TYPES = new Set<unknown>([Date, 'timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone', 'date']);

/** Column values of a row as plain JSON (what the user cache stores). */
export function dehydrateUser<T extends AbstractClerkUser>(repository: Repository<T>, user: T): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const column of repository.metadata.columns) plain[column.propertyName] = column.getEntityValue(user);
  return plain;
}

/** Rebuilds an entity instance from cached JSON, turning date strings back into `Date`s. */
export function hydrateUser<T extends AbstractClerkUser>(repository: Repository<T>, plain: Record<string, unknown>): T {
  const user = repository.create();
  for (const column of repository.metadata.columns) {
    let value = plain[column.propertyName];
    if (typeof value === 'string' && DATE_TYPES.has(column.type)) value = new Date(value);
    column.setEntityValue(user, value);
  }
  return user;
}
