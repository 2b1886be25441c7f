import { spawn, type ChildProcess } from 'node:child_process';

/** The consumer CLI fixture the command suites run (it loads the library from `CLERK_USERS_DIST`). */
const CLI = 'test/commands/fixture/cli.mjs';

export interface CliResult {
  /** Exit code; `-1` when the process ended on a signal. */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Written to the CLI's stdin (then closed); stdin is closed empty otherwise. */
  stdin?: string;
  /** Killed with SIGKILL after this long (default 60 s). */
  timeoutMs?: number;
}

/**
 * Starts the built CLI (`build`: a `libraryBuild()` directory) as a real child process, asynchronously
 * (an embedded test database lives in this process); `done` settles when it exits.
 */
export function startCli(build: string, args: string[], env: Record<string, string | undefined>, options: CliRunOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: '', CLERK_USERS_DIST: build, DB_POOL_SIZE: process.env.TEST_DATABASE_EMBEDDED ? '1' : '4', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
  child.stdin?.end(options.stdin ?? '');
  return { child, done };
}

/** Runs the built CLI to its exit. */
export const runCli = (build: string, args: string[], env: Record<string, string | undefined>, options?: CliRunOptions): Promise<CliResult> =>
  startCli(build, args, env, options).done;
