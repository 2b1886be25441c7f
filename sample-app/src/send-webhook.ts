import { join } from 'node:path';
import { buildClerkUser } from 'nestjs-clerk-users/testing';
import { startClerkEmulator } from './emulator/clerk-emulator.js';
import { SEED_USERS } from './emulator/seed.js';
import { DATA_DIR } from './sample-config.js';
import { readServerInfo } from './server-info.js';

/** `npm run sample:webhook -- user.updated`: sends a Svix-signed event, as Clerk would, to the running sample. */
async function main(): Promise<void> {
  const type = process.argv[2] ?? 'user.updated';
  const server = readServerInfo();
  if (!server) throw new Error('the sample app is not running: start it with npm run sample');
  const emulator = await startClerkEmulator(join(DATA_DIR, 'emulator-keys.json'), `http://127.0.0.1:${server.port}`);
  const ada = SEED_USERS[0];
  const data = type.startsWith('user.')
    ? buildClerkUser({ id: ada.id, email: ada.email, firstName: `${ada.firstName} (updated ${new Date().toLocaleTimeString()})`, lastName: ada.lastName, username: ada.username, updatedAt: Date.now() })
    : { object: 'event_payload', id: `${type.split('.')[0]}_sample` };
  const { headers, body } = emulator.kit.signWebhook(type, data);
  const response = await fetch(`http://127.0.0.1:${server.port}/webhooks/clerk`, { method: 'POST', headers, body });
  console.log(`${type} → ${response.status} ${await response.text()}`);
  await emulator.close();
  process.exitCode = response.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
