import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { libraryBuild } from './library-build.js';

const exec = promisify(execFile);
const BUILDS = resolve('.tmp');
const SUBPATHS = ['testing', 'commands', 'swagger', 'terminus', 'console'];

async function sourcesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourcesOf(join(dir, entry.name)) : Promise.resolve(entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))));
  return nested.flat().sort();
}

async function fingerprint(library: string): Promise<string> {
  const hash = createHash('sha256').update(library);
  for (const file of await sourcesOf(resolve('sample-app/src'))) hash.update(relative(process.cwd(), file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The sample app compiled for a child process (`node <build>/app/main.js`), importing the package by
 * name from a build of lib/ (`libraryBuild()`), never from dist/: a `node_modules/nestjs-clerk-users`
 * of its own maps the package's entry points onto that build. Built once per version of the sources.
 */
export async function sampleAppBuild(): Promise<string> {
  const library = await libraryBuild();
  const target = join(BUILDS, `sample-build-${await fingerprint(library)}`);
  const main = join(target, 'app', 'main.js');
  if (existsSync(main)) return main;
  await mkdir(BUILDS, { recursive: true });
  const building = await mkdtemp(join(BUILDS, 'building-sample-'));
  // Type-checked with the library elsewhere (`npm run typecheck`); here only emitted, as dist/ may not exist.
  await exec('npx', ['tsc', '-p', 'sample-app/tsconfig.json', '--noCheck', '--sourceMap', 'false', '--outDir', join(building, 'app')], { env: { ...process.env, NODE_OPTIONS: '' } });
  await writeFile(join(building, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  const packageDir = join(building, 'node_modules', 'nestjs-clerk-users');
  await mkdir(packageDir, { recursive: true });
  const exports = Object.fromEntries([['.', './build/index.js'], ...SUBPATHS.map((name) => [`./${name}`, `./build/${name}/index.js`])]);
  await writeFile(join(packageDir, 'package.json'), JSON.stringify({ name: 'nestjs-clerk-users', type: 'module', exports }));
  await symlink(library, join(packageDir, 'build'), 'dir');
  await symlink(resolve('sample-app/public'), join(building, 'public'), 'dir');
  for (const old of await readdir(BUILDS)) if (old.startsWith('sample-build-')) await rm(join(BUILDS, old), { recursive: true, force: true });
  await rename(building, target);
  return main;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** A sample process: listening (`url` set) or exited before it did (`exitCode` set). */
export interface SampleRun {
  url: string | null;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Ends the process (SIGTERM, as Ctrl-C does) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts the built sample with exactly `env` (plus PATH and HOME; nothing else of the test's
 * environment, so no stray CLERK_* variable), and settles once it listens or exits.
 */
export async function startSample(main: string, env: Record<string, string>): Promise<SampleRun> {
  const child: ChildProcess = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: SampleRun = { url: null, exitCode: null, stdout: '', stderr: '', stop: () => Promise.resolve() };
  const exited = new Promise<void>((done) => child.once('exit', (code) => ((run.exitCode = code ?? -1), done())));
  run.stop = async () => {
    if (run.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  await new Promise<void>((settled) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      run.stdout += chunk.toString();
      const listening = /Sample app listening on (http:\/\/\S+)/.exec(run.stdout);
      if (listening && !run.url) {
        run.url = listening[1];
        settled();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    void exited.then(settled);
  });
  return run;
}
