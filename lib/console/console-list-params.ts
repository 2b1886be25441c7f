import { BadRequestException } from '@nestjs/common';
import { CONSOLE_DEFAULT_LIMIT, CONSOLE_MAX_LIMIT } from './clerk-console.constants.js';
import { isUuid } from '../common/uuid.js';

/** A query string value as Express and Fastify hand it over. */
export type QueryValue = string | string[] | undefined;

const one = (name: string, value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestException(`"${name}" must be given once`);
  return value;
};

/** `limit`: 1–200, default 50. */
export function parseLimit(value: unknown): number {
  const text = one('limit', value);
  if (text === undefined || text === '') return CONSOLE_DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > CONSOLE_MAX_LIMIT) throw new BadRequestException(`"limit" must be a whole number from 1 to ${CONSOLE_MAX_LIMIT}`);
  return limit;
}

/** `true`/`false`, or nothing (no filter). */
export function parseFlag(name: string, value: unknown): boolean | undefined {
  const text = one(name, value);
  if (text === undefined || text === '') return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new BadRequestException(`"${name}" must be true or false`);
}

/** Free text of at most `max` characters, trimmed; nothing when empty. */
export function parseText(name: string, value: unknown, max = 200): string | undefined {
  const text = one(name, value)?.trim();
  if (!text) return undefined;
  if (text.length > max || text.includes('\u0000')) throw new BadRequestException(`"${name}" must be at most ${max} characters`);
  return text;
}

/** An ISO 8601 date or date-time. */
export function parseDate(name: string, value: unknown): Date | undefined {
  const text = parseText(name, value, 40);
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) throw new BadRequestException(`"${name}" must be an ISO date`);
  return date;
}

/** One of `choices`, or nothing. */
export function parseChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T | undefined {
  const text = parseText(name, value, 40);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new BadRequestException(`"${name}" must be one of ${choices.join(', ')}`);
  return text as T;
}

/** `value` for a LIKE prefix pattern: its wildcards and the escape character taken literally. */
export function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of a list. */
export interface ConsolePage<T> {
  items: T[];
  /** Pass as `cursor` for the next page; `null` on the last one. */
  nextCursor: string | null;
}

/** A uuid (a local id), or nothing. */
export function parseUuid(name: string, value: unknown): string | undefined {
  const text = parseText(name, value, 36);
  if (text === undefined) return undefined;
  if (!isUuid(text)) throw new BadRequestException(`"${name}" must be a uuid`);
  return text;
}
