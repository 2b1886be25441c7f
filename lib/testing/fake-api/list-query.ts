import type { ClerkUserJson } from '../../users/clerk-user-json.interface.js';
import type { ClerkOrganizationJson, ClerkOrganizationMembershipJson } from '../clerk-fixtures.js';
import { HttpError, invalidParam } from './http.js';

/** Listing of the fake Backend API: paging, ordering and filters validated like the real one. */

export interface Stored<T> {
  json: T;
  // Insertion order breaks ties between equal timestamps, so listings stay deterministic.
  seq: number;
}

export type SortValue = string | number | null;
export type SortFields<T> = Record<string, (item: T) => SortValue>;

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 500;

export interface ListPage<T> {
  data: T[];
  total_count: number;
}

export const USER_SORT_FIELDS: SortFields<ClerkUserJson> = {
  created_at: (user) => numberOrNull(user.created_at),
  updated_at: (user) => numberOrNull(user.updated_at),
  last_sign_in_at: (user) => numberOrNull(user.last_sign_in_at),
  last_active_at: (user) => numberOrNull(user.last_active_at),
  first_name: (user) => user.first_name ?? null,
  last_name: (user) => user.last_name ?? null,
  username: (user) => user.username ?? null,
  email_address: (user) => emailsOf(user)[0] ?? null,
};

export const ORGANIZATION_SORT_FIELDS: SortFields<ClerkOrganizationJson> = {
  created_at: (organization) => organization.created_at,
  name: (organization) => organization.name,
  members_count: (organization) => organization.members_count,
};

export const MEMBERSHIP_SORT_FIELDS: SortFields<ClerkOrganizationMembershipJson> = {
  created_at: (membership) => membership.created_at,
  updated_at: (membership) => membership.updated_at,
  first_name: (membership) => membership.public_user_data.first_name,
  last_name: (membership) => membership.public_user_data.last_name,
  email_address: (membership) => membership.public_user_data.identifier,
};

const USER_FILTERS = ['user_id', 'email_address', 'username', 'external_id', 'organization_id', 'query'];

export function hasUserFilters(query: URLSearchParams): boolean {
  return USER_FILTERS.some((name) => query.has(name));
}

/** Sorts by `order_by` (`±field`, no sign meaning ascending) and slices by `limit`/`offset`, validated like BAPI. */
export function paginate<T>(
  items: Array<Stored<T>>,
  query: URLSearchParams,
  fields: SortFields<T>,
  defaultOrder: string,
): Array<Stored<T>> {
  const limit = parseIntegerParam(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  const offset = parseIntegerParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const sorted = sortItems(items, query.get('order_by') ?? defaultOrder, fields);
  return sorted.slice(offset, offset + limit);
}

export function parseIntegerParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value) || value < min || value > max) {
    throw new HttpError(invalidParam(name, `${name} must be an integer between ${min} and ${max}.`));
  }
  return value;
}

export function sortItems<T>(items: Array<Stored<T>>, orderBy: string, fields: SortFields<T>): Array<Stored<T>> {
  const match = /^([+-]?)([a-z_]+)$/.exec(orderBy.trim());
  const field = match ? fields[match[2]] : undefined;
  if (!match || !field) {
    const allowed = Object.keys(fields).join(', ');
    const message = `order_by must be one of ${allowed}, optionally prefixed with + or -.`;
    throw new HttpError(invalidParam('order_by', message));
  }
  const direction = match[1] === '-' ? -1 : 1;
  // The insertion sequence follows the same direction, so "newest first" holds even within one millisecond.
  return [...items].sort((a, b) => direction * (compareSortValues(field(a.json), field(b.json)) || a.seq - b.seq));
}

export function compareSortValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function emailsOf(user: ClerkUserJson): string[] {
  const primaryFirst = [...(user.email_addresses ?? [])].sort(
    (a, b) => Number(b.id === user.primary_email_address_id) - Number(a.id === user.primary_email_address_id),
  );
  return primaryFirst.map((address) => address.email_address.toLowerCase());
}

export function searchableTextOf(user: ClerkUserJson): string[] {
  const candidates: unknown[] = [user.id, user.external_id, user.username, user.first_name, user.last_name];
  const names = candidates.filter((value): value is string => typeof value === 'string').map((v) => v.toLowerCase());
  const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ').toLowerCase();
  return [...names, fullName, ...emailsOf(user)];
}

export function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

