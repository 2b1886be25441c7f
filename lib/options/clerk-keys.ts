import { createPublicKey } from 'node:crypto';

/** Placeholder values from docs and templates; configuring one is a mistake, never "auth off". */
export const PLACEHOLDER_KEYS = new Set([
  'abc123',
  'sk_test_mock_secret_key',
  'sk_live_replace_me',
  'sk_test_replace_me',
  'sk_test_xxx',
  'pk_test_replace_me',
  'pk_live_replace_me',
  'whsec_test_mock_signing_key',
  'whsec_replace_me',
  'your_secret_key',
  'changeme',
]);

const KEY_PREFIX = /^(?:sk_test_|sk_live_|pk_test_|pk_live_|whsec_)/;
/** Words no generated key contains but every template does (`changeme`, `replace_me`, `your_secret_key`, …). */
const PLACEHOLDER_WORDS = /change[_-]?me|replace[_-]?me|placeholder|your[_-]?(?:clerk[_-]?)?(?:secret|publishable|signing|webhook|api|jwt)?[_-]?(?:key|secret)/i;
/**
 * A key body that is an upper-case word (`YOUR_SECRET_KEY`, `XXXX`, `REPLACE_ME`) or filler (`xxxx`,
 * `****`, `...`, `<key>`, `{{key}}`): Clerk's keys are random mixed-case base62/base64, never that.
 */
const PLACEHOLDER_BODY = /^(?:[A-Z][A-Z_]{2,}|x{3,}|\*{3,}|\.{3,}|<[^>]*>|\{\{[^}]*\}\})$/;

/** Whether a configured key is a template value rather than one Clerk issued. */
export function isPlaceholderKey(value: string): boolean {
  if (PLACEHOLDER_KEYS.has(value.toLowerCase()) || PLACEHOLDER_WORDS.test(value)) return true;
  const body = value.replace(KEY_PREFIX, '');
  return body !== value && PLACEHOLDER_BODY.test(body);
}

/**
 * Key text as configuration systems deliver it: `\n` escapes (one-line env values, JSON, ConfigService)
 * become line breaks, and surrounding whitespace (a trailing newline from a secrets file) goes.
 */
export function normaliseKeyText(value: string): string {
  return value.replace(/\\r\\n|\\n/g, '\n').trim();
}

/** Returns why a secret key is unusable, or `null` when it looks real. */
export function secretKeyProblem(value: string): string | null {
  if (isPlaceholderKey(value)) return 'is a placeholder, not a real Clerk secret key';
  if (!/^sk_(test|live)_[A-Za-z0-9_-]{4,}$/.test(value)) return 'must look like sk_test_… or sk_live_…';
  return null;
}

/** Decodes a publishable key into its Frontend API host, or returns `null` when it does not parse. */
export function frontendApiFromPublishableKey(value: string): string | null {
  const match = /^pk_(test|live)_([A-Za-z0-9+/=_-]+)$/.exec(value);
  if (!match) return null;
  const decoded = Buffer.from(match[2], 'base64').toString('utf8');
  if (!decoded.endsWith('$') || decoded.indexOf('$') !== decoded.length - 1) return null;
  const host = decoded.slice(0, -1);
  return host.includes('.') ? host : null;
}

export function publishableKeyProblem(value: string): string | null {
  if (isPlaceholderKey(value)) return 'is a placeholder, not a real Clerk publishable key';
  return frontendApiFromPublishableKey(value) ? null : 'must be pk_test_… or pk_live_… encoding the Frontend API host';
}

export function webhookSecretProblem(value: string): string | null {
  if (isPlaceholderKey(value)) return 'is a placeholder, not a real Svix signing secret';
  const match = /^whsec_([A-Za-z0-9+/=]+)$/.exec(value);
  if (!match || Buffer.from(match[1], 'base64').length < 16) return 'must be whsec_ followed by a base64 secret';
  return null;
}

/**
 * `@clerk/backend` derives the JWK from the PEM text itself, which only works for a
 * 2048-bit RSA key with e=65537 in SPKI form; anything else fails every token later.
 */
export function jwtKeyProblem(value: string): string | null {
  if (!value.includes('-----BEGIN PUBLIC KEY-----')) return 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)';
  try {
    const key = createPublicKey(value);
    const details = key.asymmetricKeyDetails;
    if (key.asymmetricKeyType !== 'rsa' || details?.modulusLength !== 2048 || details.publicExponent !== 65537n) {
      return 'must be a 2048-bit RSA public key (e=65537), as Clerk issues';
    }
  } catch {
    return 'is not a parseable PEM public key';
  }
  return null;
}
