import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Jest runs from the repository root (ESM mode has no __dirname).
const root = resolve(process.cwd());
const version = (name: string): string => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const childEnv = { ...process.env, NODE_OPTIONS: '' };
const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, env: childEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
// Asynchronous, so the embedded test database served from this process keeps answering the child.
const runAsync = async (command: string, args: string[], cwd: string) =>
  (await promisify(execFile)(command, args, { cwd, env: childEnv, encoding: 'utf8', timeout: 120_000 })).stdout;

/**
 * Packs the library with `npm pack`, installs the tarball into a fresh consumer project with npm,
 * and runs a CommonJS and an ES-module Nest app against it, plus a `nodenext` type check.
 */
describe('the packed tarball in a consumer project', () => {
  let consumer: string;

  beforeAll(() => {
    consumer = mkdtempSync(join(tmpdir(), 'clerk-consumer-'));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', consumer], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const tarball = join(consumer, packed[0].filename);
    const peers = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', '@nestjs/typeorm', '@nestjs/passport', '@nestjs/cache-manager', 'cache-manager', 'passport', 'typeorm', 'pg', 'reflect-metadata', 'rxjs', 'typescript', '@types/node'];
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, dependencies: { 'nestjs-clerk-users': `file:${tarball}`, ...Object.fromEntries(peers.map((p) => [p, version(p)])) } }),
    );
    cpSync(join(root, 'test/package/consumer'), consumer, { recursive: true });
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], consumer);
  }, 300_000);

  afterAll(() => {
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it('ships dist and README only, with both entry points', () => {
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/nestjs-clerk-users/package.json'), 'utf8'));
    expect(manifest.exports['.']).toBeDefined();
    expect(manifest.exports['./testing']).toBeDefined();
    const files = run('npm', ['pack', '--dry-run', '--json'], root);
    const paths = (JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/testing/index.d.ts');
    expect(paths.some((p) => p.startsWith('lib/') || p.startsWith('test/'))).toBe(false);
    for (const subpath of ['./commands', './swagger', './terminus']) expect(manifest.exports[subpath]).toBeDefined();
    expect(paths).toEqual(expect.arrayContaining(['dist/swagger/index.js', 'dist/terminus/index.js', 'dist/commands/index.js']));
  });

  it('leaves the optional peers out of the install, so the apps below boot without them', () => {
    const optional = ['@nestjs/graphql', 'graphql', '@nestjs/websockets', '@nestjs/swagger', '@nestjs/terminus', 'express-session', '@fastify/session'];
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
