/**
 * Whether a stored column value equals the value Clerk's JSON maps to: dates by instant, JSON
 * values by content, and a missing value the same as `null`.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return (a as Date | null)?.getTime?.() === (b as Date | null)?.getTime?.();
  if (a && b && typeof a === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return (a ?? null) === (b ?? null);
}
