import { ForbiddenException } from '@nestjs/common';
import { reverificationError } from '@clerk/shared/authorization-errors';
import { validateReverificationConfig } from '@clerk/shared/authorization';

/** Which factors a reverification asks for (Clerk's `SessionVerificationLevel`). */
export type ClerkReverificationLevel = 'first_factor' | 'second_factor' | 'multi_factor';

/**
 * Clerk's presets: `strict_mfa` (10 minutes, multi-factor), `strict` (10 minutes, second factor when
 * the user has one), `moderate` (60), `lax` (1,440).
 */
export type ClerkReverificationPreset = 'strict_mfa' | 'strict' | 'moderate' | 'lax';

/** A preset, or a level and how many minutes ago the factors must have been verified at most. */
export type ClerkReverificationConfig = ClerkReverificationPreset | { level: ClerkReverificationLevel; afterMinutes: number };

/** A reverification config as Clerk resolves it. */
export interface ResolvedReverification {
  level: ClerkReverificationLevel;
  afterMinutes: number;
}

/** `config` resolved by @clerk/shared's own `validateReverificationConfig`; `null` when Clerk would refuse it. */
export function resolveReverification(config: unknown): ResolvedReverification | null {
  // A preset is the common case on the request path: one lookup instead of Clerk's bound resolver per call.
  if (typeof config === 'string') return PRESETS.get(config) ?? null;
  const resolve = validateReverificationConfig(config as Parameters<typeof validateReverificationConfig>[0]);
  return resolve ? (resolve() as ResolvedReverification) : null;
}

/** Clerk's presets, as its `validateReverificationConfig` resolves them (resolved once, at load). */
const PRESETS = new Map<string, ResolvedReverification>(
  (['strict_mfa', 'strict', 'moderate', 'lax'] as const).map((preset) => [preset, Object.freeze(resolveWithClerk(preset))]),
);

function resolveWithClerk(preset: ClerkReverificationPreset): ResolvedReverification {
  const resolve = validateReverificationConfig(preset);
  if (!resolve) throw new Error(`@clerk/shared no longer knows the reverification preset "${preset}"`);
  return resolve() as ResolvedReverification;
}

/** What Clerk's `reverificationError(config)` (@clerk/shared `authorization-errors`) returns: the body its frontend's `useReverification()` recognises. */
export type ClerkReverificationErrorBody = ReturnType<typeof reverificationError<ClerkReverificationConfig>>;

/**
 * 403 with exactly Clerk's `reverificationError(config)` body (what `reverificationErrorResponse`
 * answers), so `useReverification()` opens its modal and retries. GraphQL and WebSockets carry the
 * same payload in a `FORBIDDEN` error's `extensions`.
 */
export class ClerkReverificationRequiredException extends ForbiddenException {
  readonly payload: ClerkReverificationErrorBody;

  constructor(config: ClerkReverificationConfig) {
    const payload = reverificationError(config);
    super(payload);
    this.payload = payload;
  }
}
