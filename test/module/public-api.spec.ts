import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Jest runs from the repository root (ESM mode has no __dirname).
const root = process.cwd();

/** Every name `lib/index.ts` exports (values and types), read from its source. */
function exportedNames(): string[] {
  const source = readFileSync(join(root, 'lib/index.ts'), 'utf8');
  expect(source).not.toMatch(/export \*/); // a star export would publish a whole file unseen
  return [...source.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    match[1]
      .split(',')
      .map((name) => name.replace(/^\s*type\s+/, '').trim())
      .filter(Boolean),
  );
}

/** Every `name` of the README's "Public API" section. */
function documentedNames(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Public API\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^- \*\*[^*]+\*\*: (.+)$/gm)].flatMap((line) => [...line[1].matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((name) => name[1]));
}

describe('the public API', () => {
  it('is exactly what the README documents: no undocumented export, no documented name missing', () => {
    const exported = exportedNames();
    const documented = documentedNames();
    expect(new Set(exported).size).toBe(exported.length);
    expect(exported.filter((name) => !documented.includes(name))).toEqual([]);
    expect(documented.filter((name) => !exported.includes(name))).toEqual([]);
  });

  it('keeps the internals named by the redesign out of the root entry point', async () => {
    const runtime = Object.keys(await import('../../lib/index.js'));
    for (const internal of [
      'CLERK_RESOLVED_OPTIONS',
      'resolveClerkUsersOptions',
      'extractSessionToken',
      'authFromClaims',
      'decodeV2Permissions',
      'ClerkCacheService',
      'withClerkRetry',
      'hashPassword',
      'LocalLoginLimiter',
      'ClerkAuthenticator',
    ]) {
      expect(runtime).not.toContain(internal);
    }
    expect(runtime.every((name) => exportedNames().includes(name))).toBe(true);
  });
});
