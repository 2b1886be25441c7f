import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
// Inside the package (for its "type": "module" and node_modules), ignored by git; never dist/, which other work relies on.
const BUILDS = resolve('.tmp');

async function sourcesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourcesOf(join(dir, entry.name)) : Promise.resolve(entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))));
  return nested.flat().sort();
}

/** A fingerprint of lib/ and the build settings: a build of the same sources is reused. */
async function fingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...(await sourcesOf(resolve('lib'))), resolve('tsconfig.build.json'), resolve('tsconfig.json')]) {
    hash.update(relative(process.cwd(), file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A JavaScript build of lib/ for child processes (the CLI: nest-commander cannot load in Jest's
 * module system), shared by the suites that need one: built once per version of the sources into
 * `.tmp/lib-build-<fingerprint>`, other builds there removed.
 */
export async function libraryBuild(): Promise<string> {
  const target = join(BUILDS, `lib-build-${await fingerprint()}`);
  if (existsSync(join(target, 'index.js'))) return target;
  await mkdir(BUILDS, { recursive: true });
  const building = await mkdtemp(join(BUILDS, 'building-'));
  await exec('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', building, '--declaration', 'false', '--sourceMap', 'false'], { env: { ...process.env, NODE_OPTIONS: '' } });
  for (const old of await readdir(BUILDS)) if (old.startsWith('lib-build-')) await rm(join(BUILDS, old), { recursive: true, force: true });
  await rename(building, target);
  return target;
}
