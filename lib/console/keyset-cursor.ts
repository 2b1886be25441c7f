import { BadRequestException } from '@nestjs/common';

/** An opaque page cursor: the sort key values of the last row shown, base64url JSON. */
export function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The sort key values of `cursor`, each checked against its pattern (400 otherwise); `null` when
 * there is no cursor (the first page).
 */
export function decodeCursor(cursor: unknown, patterns: readonly RegExp[]): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  const invalid = () => new BadRequestException('Invalid cursor');
  if (typeof cursor !== 'string' || cursor.length > 512) throw invalid();
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(values) || values.length !== patterns.length) throw invalid();
  if (!values.every((value, i) => typeof value === 'string' && patterns[i].test(value))) throw invalid();
  return values as string[];
}

/** A `timestamp` as PostgreSQL prints it (the text of the UTC sort keys). */
export const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

/** A key of at most 255 characters (an id). */
export const KEY_TEXT = /^[^\u0000]{1,255}$/;
