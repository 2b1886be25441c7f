import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Jest runs from the repository root (ESM mode has no __dirname).
const root = resolve(process.cwd());
const version = (name: string): string => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const childEnv = { ...process.env, NODE_OPTIONS: '' };

interface Finished {
  status: number | null;
  stdout: string;
  /** stdout and stderr together: npm prints its warnings on stderr. */
  output: string;
}

/** An npm command, synchronously (it needs no database); its whole output for the ERESOLVE checks. */
function npm(args: string[], cwd: string): Finished {
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, env: childEnv, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}\n${result.stderr}` };
}

function succeeded(step: Finished): Finished {
  if (step.status !== 0) throw new Error(`npm failed (${step.status}):\n${step.output}`);
  return step;
}

// Asynchronous, so the embedded test database served from this process keeps answering the child.
const runChild = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  promisify(execFile)(command, args, { cwd, env: { ...childEnv, ...env }, encoding: 'utf8', timeout: 120_000 });
const runAsync = async (command: string, args: string[], cwd: string) => (await runChild(command, args, cwd)).stdout;

/** The README's install lines of the optional subpaths (terminus needs its upstream override, see README). */
const SUBPATH_INSTALLS = {
  terminus: ['@nestjs/terminus'],
  swagger: ['@nestjs/swagger'],
  graphql: ['@nestjs/graphql', 'graphql', '@nestjs/apollo', '@apollo/server', '@as-integrations/express5'],
  websockets: ['@nestjs/websockets', '@nestjs/platform-socket.io'],
  sessions: ['express-session'],
  // Not a subpath: the app's own OpenTelemetry SDK, reading the package's metrics (`@opentelemetry/api` only in the package).
  metrics: ['@opentelemetry/sdk-metrics@^2'],
};

let tarball: string;
const scratch: string[] = [];
const scratchDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};

beforeAll(() => {
  const packDir = scratchDir('clerk-pack-');
  const packed = JSON.parse(succeeded(npm(['pack', '--json', '--pack-destination', packDir], root)).stdout) as Array<{ filename: string }>;
  tarball = join(packDir, packed[0].filename);
}, 120_000);

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/**
 * Case (a): `npm install` of the packed tarball into a fresh project with only the required peers,
 * then a CommonJS and an ES-module Nest app against it, plus a `nodenext` type check.
 */
describe('the packed tarball in a fresh consumer project', () => {
  let consumer: string;
  let installOutput: string;

  beforeAll(() => {
    consumer = scratchDir('clerk-consumer-');
    const peers = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/typeorm', '@nestjs/passport', '@nestjs/cache-manager', 'cache-manager', 'passport', 'typeorm', 'pg', 'reflect-metadata', 'rxjs', 'typescript', '@types/node'];
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, dependencies: { 'nestjs-clerk-users': `file:${tarball}`, ...Object.fromEntries(peers.map((p) => [p, version(p)])) } }),
    );
    cpSync(join(root, 'test/package/consumer'), consumer, { recursive: true });
    installOutput = succeeded(npm(['install', '--prefer-offline'], consumer)).output;
  }, 300_000);

  it('installs without any ERESOLVE and leaves a valid tree', () => {
    expect(installOutput).not.toMatch(/ERESOLVE/);
    expect(npm(['ls', '--all'], consumer).status).toBe(0);
  });

  it('ships dist and README only, as an ES module with every entry point', () => {
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/nestjs-clerk-users/package.json'), 'utf8'));
    expect(manifest.type).toBe('module');
    for (const subpath of ['.', './testing', './commands', './swagger', './terminus', './console']) expect(manifest.exports[subpath]).toBeDefined();
    const files = succeeded(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root)).stdout;
    const paths = (JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['dist/index.js', 'dist/testing/index.d.ts', 'dist/swagger/index.js', 'dist/terminus/index.js', 'dist/commands/index.js', 'dist/console/index.js', 'dist/console/page/console-page.script.js']));
    expect(paths.some((p) => p.startsWith('lib/') || p.startsWith('test/'))).toBe(false);
  });

  it('leaves the optional peers (nest-commander included) out of the install, so the apps below boot without them', () => {
    const optional = ['@nestjs/graphql', 'graphql', '@nestjs/websockets', '@nestjs/swagger', '@nestjs/terminus', 'express-session', '@fastify/session', 'nest-commander', '@golevelup/nestjs-discovery'];
    expect(optional.filter((name) => existsSync(join(consumer, 'node_modules', name, 'package.json')))).toEqual([]);
  });

  it.each(['app.cjs', 'app.mjs'])('%s boots a guarded Nest app from the installed package', async (entry) => {
    const result = JSON.parse(await runAsync(process.execPath, [entry], consumer));
    expect(result.health).toBe(200);
    expect(result.anonymous).toBe(401);
    expect(result.me).toMatchObject({ clerkId: expect.stringMatching(/^user_/), email: expect.stringMatching(/@example\.com$/), org: { role: 'org:admin' } });
  });

  it('type-checks against the published declarations under module nodenext (ESM and CJS)', async () => {
    await expect(runAsync(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer)).resolves.toBe('');
  });
});

/**
 * Case (b): an existing Nest 12 app with its own committed lock (older Nest 12 patches, Vitest and
 * Jest), `npm ci`, then the README's `npm install nestjs-clerk-users` (here: the tarball); its own
 * spec then runs under Vitest, Jest in ESM mode and `node --test`; then each subpath's install line.
 */
describe('the packed tarball installed into an existing app with a lock file', () => {
  let app: string;
  let installOutput: string;

  beforeAll(() => {
    app = scratchDir('clerk-existing-app-');
    cpSync(join(root, 'test/package/existing-app'), app, { recursive: true });
    succeeded(npm(['ci', '--prefer-offline'], app));
    installOutput = succeeded(npm(['install', '--prefer-offline', tarball], app)).output;
  }, 300_000);

  it('installs with plain npm install: no ERESOLVE, the locked Nest patch versions kept, a valid tree', () => {
    expect(installOutput).not.toMatch(/ERESOLVE/);
    const locked = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')).packages as Record<string, { version: string }>;
    expect(locked['node_modules/@nestjs/common'].version).toBe('12.5.1');
    expect(locked['node_modules/@nestjs/core'].version).toBe('12.5.1');
    expect(locked['node_modules/nestjs-clerk-users']).toBeDefined();
    expect(npm(['ls', '--all'], app).status).toBe(0);
  });

  // The app's own spec (mint a token, call a guarded route, post a signed webhook), unchanged per runner.
  it.each(['test:vitest', 'test:jest', 'test:node'])('its own spec passes under %s against the installed package', async (script) => {
    const finished = await runChild('npm', ['run', '-s', script], app, { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL, FORCE_COLOR: '0', NO_COLOR: '1' }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`${script} failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      },
    );
    // Each runner's own summary (Jest prints it on stderr): five tests, none failed.
    expect(`${finished.stdout}\n${finished.stderr}`).toMatch(/Tests:\s+5 passed, 5 total|Tests\s+5 passed \(5\)|# pass 5\n# fail 0/);
  }, 120_000);

  it('installs each optional subpath from its README line without ERESOLVE, and they work', async () => {
    succeeded(npm(['pkg', 'set', 'overrides.@mikro-orm/nestjs=^7.1.0'], app));
    const optional = succeeded(npm(['install', '--prefer-offline', ...Object.values(SUBPATH_INSTALLS).flat()], app)).output;
    expect(optional).not.toMatch(/ERESOLVE/);
    // nest-commander's own pinned dependency declares Nest 11 peers: npm may warn about that
    // package, never about this one.
    const commander = succeeded(npm(['install', '--prefer-offline', 'nest-commander'], app)).output;
    expect(commander).not.toMatch(/nestjs-clerk-users/);
    const result = JSON.parse(await runAsync(process.execPath, ['subpaths.mjs'], app));
    expect(result).toEqual({
      // Three session tokens verified (each request below minted a new one), one anonymous refusal.
      metrics: { tokensVerified: 3, refusals: ['no-credential'] },
      console: {
        anonymous: 401,
        nonStaff: 403,
        list: { status: 200, emails: ['support@example.com'] },
        page: { status: 200, type: expect.stringMatching(/^text\/html/), html: true },
      },
      terminus: { clerk: expect.objectContaining({ status: 'up', backendApi: 'reachable' }) },
      swaggerNotesSecurity: [{ clerk: [] }],
      swaggerHealthSecurity: null,
      commands: true,
    });
  }, 300_000);
});
