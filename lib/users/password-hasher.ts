import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

/** `scrypt$N$r$p$salt$hash` (base64url), Node's own scrypt: no native dependency. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8) throw new Error('the password must have at least 8 characters');
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const isParameter = (value: number, max: number): boolean => Number.isInteger(value) && value >= 1 && value <= max;

/** Constant-time check of a password against `hashPassword`'s output; a malformed hash never matches (and never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !hash || !isParameter(params.N, 2 ** 20) || !isParameter(params.r, 32) || !isParameter(params.p, 16)) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length < 16) return false;
  try {
    const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, params); // above 32 MiB (Node's maxmem) scrypt throws: no match
    return key.length === expected.length && timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}
