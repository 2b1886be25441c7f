import type { ClerkAuth, ClerkLocalAuth, ClerkMachineAuth, ClerkRequestAuth } from '../clerk-auth.interface.js';
import { clerkHas, type ClerkHasParams } from './clerk-has.js';

/** A Clerk session's `request.auth` with Clerk's `has()` bound to it. */
export interface ClerkSessionAuthObject extends ClerkRequestAuth {
  /** Clerk's `auth.has()`: role, permission, feature, plan, reverification (see `ClerkHasParams`). */
  has(params: ClerkHasParams): boolean;
}

/** What `@Auth()` gives: a session (with `has()`), a machine caller or a password login; narrow on `tokenType`. */
export type ClerkAuthObject = ClerkSessionAuthObject | ClerkMachineAuth | ClerkLocalAuth;

/**
 * `request.auth` stays plain data (it is cached, shared between instances and kept in server
 * sessions as JSON); the session view with `has()` is built once per auth object, so once per
 * verified token on the warm path.
 */
const views = new WeakMap<ClerkRequestAuth, ClerkSessionAuthObject>();

/** `auth` as `@Auth()` hands it out; `null` without a caller. */
export function authObjectOf(auth: ClerkAuth | null | undefined): ClerkAuthObject | null {
  if (!auth) return null;
  if (auth.tokenType !== 'session_token') return auth;
  let view = views.get(auth);
  if (!view) {
    view = Object.freeze({ ...auth, has: (params: ClerkHasParams) => clerkHas(auth, params) });
    views.set(auth, view);
  }
  return view;
}
