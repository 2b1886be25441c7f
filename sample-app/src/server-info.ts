import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from './sample-config.js';

/** Written by a running sample server so its helpers (CLI, webhook sender) can find it. */
export interface ServerInfo {
  port: number;
  /** The embedded database as served by the running server (one process owns the PGlite files). */
  databaseUrl: string | null;
  pid: number;
}

const file = () => join(DATA_DIR, 'server.json');

export function writeServerInfo(info: ServerInfo): void {
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(file(), JSON.stringify(info));
}

/** The running server's info, or `null` when none is running. */
export function readServerInfo(): ServerInfo | null {
  if (!existsSync(file())) return null;
  const info = JSON.parse(readFileSync(file(), 'utf8')) as ServerInfo;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch {
    return null;
  }
}
