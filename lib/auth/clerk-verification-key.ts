import { createPublicKey, KeyObject, webcrypto, type JsonWebKey } from 'node:crypto';

/** The JWS algorithms `@clerk/backend` verifies (`algToHash` of its `src/jwt/algorithms.ts`), with the hash each names. */
export const CLERK_JWT_ALGORITHMS: ReadonlyMap<string, 'SHA-256' | 'SHA-384' | 'SHA-512'> = new Map([
  ['RS256', 'SHA-256'],
  ['RS384', 'SHA-384'],
  ['RS512', 'SHA-512'],
]);

/**
 * One signing key of a Clerk instance, imported once (when the JWKS is loaded, or at boot from
 * `jwtKey`) instead of once per token as `@clerk/backend`'s `verifyJwt` does. `algorithms` lists the
 * `alg` values WebCrypto would accept this key for: `@clerk/backend` imports the JWK for the token's
 * `alg` on every verification, and that import refuses a JWK whose own `alg`, `use` or `key_ops`
 * disagree; importing it for each algorithm up front keeps exactly that verdict.
 */
export interface ClerkVerificationKey {
  readonly kid: string;
  /** The public key, `null` when WebCrypto refused the JWK for every algorithm. */
  readonly key: KeyObject | null;
  readonly algorithms: ReadonlySet<string>;
  /** Why the import failed for the algorithms missing from `algorithms` (what `verifyJwt` would report). */
  readonly importError: string | null;
}

const RSA_ALGORITHM = 'RSASSA-PKCS1-v1_5';

/** Imports `jwk` as `@clerk/backend` does (`crypto.subtle.importKey('jwk', …, RSASSA-PKCS1-v1_5, ['verify'])`), once per algorithm. */
export async function importClerkJwk(kid: string, jwk: JsonWebKey): Promise<ClerkVerificationKey> {
  const algorithms = new Set<string>();
  let key: KeyObject | null = null;
  let importError: string | null = null;
  for (const [alg, hash] of CLERK_JWT_ALGORITHMS) {
    try {
      const cryptoKey = await webcrypto.subtle.importKey('jwk', jwk as webcrypto.JsonWebKey, { name: RSA_ALGORITHM, hash: { name: hash } }, false, ['verify']);
      key ??= KeyObject.from(cryptoKey);
      algorithms.add(alg);
    } catch (error) {
      importError = error instanceof Error ? error.message : String(error);
    }
  }
  return { kid, key, algorithms, importError };
}

/**
 * The `jwtKey` PEM as a key: `@clerk/backend` turns it into `{ kty: 'RSA', alg: 'RS256', n, e: 'AQAB' }`
 * (`loadClerkJwkFromPem`), so only RS256 tokens verify with it. The options check already proved it
 * a 2048-bit RSA SPKI key with e=65537, the only kind that conversion reads right.
 */
export function importClerkPem(pem: string): ClerkVerificationKey {
  try {
    return { kid: 'local', key: createPublicKey(pem), algorithms: new Set(['RS256']), importError: null };
  } catch (error) {
    return { kid: 'local', key: null, algorithms: new Set(), importError: error instanceof Error ? error.message : String(error) };
  }
}
