import type { ClerkUserJson } from '../../users/clerk-user-json.interface.js';
import { emailsOf } from './list-query.js';

/** The identifiers Clerk keeps unique per instance: email addresses and usernames (case-insensitive) and external ids. */
export type UserIdentifierKind = 'email_address' | 'username' | 'external_id';

/**
 * Which user holds each unique identifier, kept up to date on every write so a duplicate check is one
 * lookup: a 10,000-user migration against the fake must measure the migration, not a scan per create.
 */
export class UserIdentifierIndex {
  private readonly owners = new Map<string, string>();

  add(user: ClerkUserJson): void {
    for (const key of identifierKeys(user)) this.owners.set(key, user.id);
  }

  remove(user: ClerkUserJson): void {
    for (const key of identifierKeys(user)) {
      if (this.owners.get(key) === user.id) this.owners.delete(key);
    }
  }

  /** The id of the user holding `value`, or `undefined`. */
  ownerOf(kind: UserIdentifierKind, value: string): string | undefined {
    return this.owners.get(keyOf(kind, value));
  }
}

function identifierKeys(user: ClerkUserJson): string[] {
  const keys = emailsOf(user).map((email) => keyOf('email_address', email));
  if (typeof user.username === 'string' && user.username !== '') keys.push(keyOf('username', user.username));
  if (typeof user.external_id === 'string' && user.external_id !== '') keys.push(keyOf('external_id', user.external_id));
  return keys;
}

function keyOf(kind: UserIdentifierKind, value: string): string {
  return `${kind}:${kind === 'external_id' ? value : value.toLowerCase()}`;
}
