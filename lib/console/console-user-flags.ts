import { BadRequestException } from '@nestjs/common';

/** The local flags staff may change (`PATCH <path>/api/users/:id`); nothing else is writable, the Clerk id least of all. */
export interface ConsoleFlagChanges {
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
}

export const CONSOLE_FLAGS = ['isActive', 'isStaff', 'isSuperuser'] as const;

/** The body of a PATCH: an object of at least one of the three flags, each a boolean, and nothing else (400 otherwise). */
export function parseFlagChanges(body: unknown): ConsoleFlagChanges {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestException('Expected a JSON object');
  const entries = Object.entries(body);
  const unknown = entries.filter(([key]) => !(CONSOLE_FLAGS as readonly string[]).includes(key)).map(([key]) => key);
  if (unknown.length) throw new BadRequestException(`Not writable: ${unknown.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}; only isActive, isStaff and isSuperuser are`);
  if (!entries.length) throw new BadRequestException('Nothing to change: give isActive, isStaff or isSuperuser');
  for (const [key, value] of entries) if (typeof value !== 'boolean') throw new BadRequestException(`"${key}" must be true or false`);
  return body as ConsoleFlagChanges;
}
