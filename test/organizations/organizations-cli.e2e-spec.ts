import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OrganizationsModule } from '../../lib/index.js';
import { ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, type TestApp } from '../support/create-app.js';
import { libraryBuild } from '../support/library-build.js';
import { runCli, type CliResult } from '../commands/cli-child.js';

/**
 * The organization command in a consumer's CLI process (nest-commander cannot load in Jest's
 * module system): OrganizationsModule provides the sync, so it is what the CLI module must import.
 */
describe('sync-clerk-organizations in a CLI module with or without OrganizationsModule', () => {
  let build = '';
  let kit: ClerkTestKit;
  let api: FakeClerkApi;
  let harness: TestApp;
  let env: Record<string, string | undefined>;

  const cli = (args: string[], organizations: 'none' | 'async'): Promise<CliResult> => runCli(build, args, { ...env, CLI_ORGANIZATIONS: organizations });

  beforeAll(async () => {
    build = await libraryBuild();
    kit = await ClerkTestKit.create();
    api = await kit.startFakeApi();
    harness = await createTestApp({ clerk: kit.moduleOptions(), imports: [OrganizationsModule.forRoot()], webhookPath: false });
    env = {
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      CLERK_SECRET_KEY: kit.secretKey,
      CLERK_JWT_KEY: kit.jwtKey,
      CLERK_API_URL: api.url,
    };
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await kit?.close();
  });

  it('without OrganizationsModule: exits 2 naming it, and the CLI still boots for the other commands', async () => {
    const result = await cli(['sync-clerk-organizations', '--all'], 'none');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage error: OrganizationsModule is not imported: add OrganizationsModule\.forRoot\(\) \(or forRootAsync\(\)\) to the CLI module/m);

    api.addUser({ email: 'org-cli-user@example.com' });
    const users = await cli(['sync-clerk-users', '--all'], 'none');
    expect(users.stderr).toBe('');
    expect(users.code).toBe(0);
  }, 60_000);

  it('with OrganizationsModule.forRootAsync(): syncs organizations and members, exit 0', async () => {
    const org = api.addOrganization({ name: 'Async CLI Corp' });
    const member = api.addUser({ email: 'org-cli-member@example.com' });
    api.addMembership({ organizationId: org.id, userId: member.id, role: 'org:admin' });
    const result = await cli(['sync-clerk-organizations', '--all', '--sync-members'], 'async');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sync complete, organizations: 1 in Clerk; created 1/);
    expect(result.stdout).toMatch(/Sync complete, members: 1 in Clerk; created 1/);
    expect(await harness.dataSource.query(`SELECT name FROM clerk_organizations WHERE "clerkId" = $1`, [org.id])).toEqual([{ name: 'Async CLI Corp' }]);
  }, 60_000);
});
