import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (N=2^17, r=8, p=1): 128 MiB and eight times the work of the former N=2^14 per hash. */
const PARAMS: ScryptParameters = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
/** A stored hash asking for more memory than this never matches: the column is not a way to exhaust the server. */
const MAX_MEMORY = 256 * 1024 * 1024;

/** What scrypt needs (OpenSSL: 128·r·(N+2) for V plus 128·r·p for B), plus slack; Node refuses anything over `maxmem` (32 MiB by default). */
const memoryOf = ({ N, r, p }: ScryptParameters): number => 128 * r * (N + 2 + p) + 1024 * 1024;

const withMemory = (params: ScryptParameters): ScryptOptions => ({ ...params, maxmem: memoryOf(params) });

/** `scrypt$N$r$p$salt$hash` (base64url), Node's own scrypt: no native dependency. The string keeps its parameters, so raising them never breaks a stored hash. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8) throw new Error('the password must have at least 8 characters');
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, withMemory(PARAMS));
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const isParameter = (value: number, max: number): boolean => Number.isInteger(value) && value >= 1 && value <= max;

/** The parameters of a well-formed stored hash, or `null`. */
function parametersOf(stored: string): (ScryptParameters & { salt: string; hash: string }) | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !hash || !isParameter(params.N, 2 ** 20) || !isParameter(params.r, 32) || !isParameter(params.p, 16)) return null;
  // scrypt's N is a power of two above 1.
  if (params.N < 2 || (params.N & (params.N - 1)) !== 0 || memoryOf(params) > MAX_MEMORY) return null;
  return { ...params, salt, hash };
}

/** Constant-time check of a password against `hashPassword`'s output (of any parameters); a malformed hash never matches (and never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parametersOf(stored);
  if (!parsed) return false;
  const expected = Buffer.from(parsed.hash, 'base64url');
  if (expected.length < 16) return false;
  try {
    const key = await scrypt(password, Buffer.from(parsed.salt, 'base64url'), expected.length, withMemory(parsed));
    return key.length === expected.length && timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with weaker parameters than `hashPassword` uses now (re-hash it at the next successful login). */
export function needsRehash(stored: string): boolean {
  const parsed = parametersOf(stored);
  return !parsed || parsed.N < PARAMS.N || parsed.r < PARAMS.r || parsed.p < PARAMS.p;
}
