import { beforeAll, describe, expect, it } from '@jest/globals';
import { ClerkConsoleModule } from '../../lib/console/index.js';
import { ConsoleUserListQuery, type ConsoleUserFilters } from '../../lib/console/console-user-list.query.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { ConsoleAccounts, migrateConsole, type ConsoleUser } from './console-support.js';

const ROWS = 1_000_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

// One app, one seeding: the plans do not depend on the HTTP platform (the other suites cover both).
describe('staff console: the users list at 1,000,000 rows', () => {
  const harness = useClerkTestApp({ imports: [ClerkConsoleModule.forRoot()] });
  let admin: ConsoleUser;
  let middle: { created: string; id: string };

  beforeAll(async () => {
    admin = await new ConsoleAccounts(harness, 'scale').clerkUser({ isSuperuser: true });
    // One statement: every 50th row inactive, every 5,000th staff, every 100,000th superuser, every 1,000th without a Clerk id.
    await harness.dataSource.query(
      `INSERT INTO clerk_users ("clerkId", email, username, "firstName", "lastName", "isActive", "isStaff", "isSuperuser", "createdAt")
       SELECT CASE WHEN g % 1000 = 0 THEN NULL ELSE 'user_seed' || lpad(g::text, 8, '0') END,
              'person' || g || '@example.com', 'person' || g,
              (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Katherine', 'Linus'])[1 + g % 8], 'Surname' || (g % 997),
              g % 50 <> 0, g % 5000 = 0, g % 100000 = 0, now() - make_interval(secs => g)
       FROM generate_series(1, $1::int) AS g`,
      [ROWS],
    );
    await migrateConsole(harness.dataSource); // builds the indexes over the rows, as on an existing table
    await harness.dataSource.query('ANALYZE clerk_users');
    [middle] = await harness.dataSource.query(
      `SELECT timezone('UTC', "createdAt")::text AS created, id::text AS id FROM clerk_users WHERE email = 'person500000@example.com'`,
    );
  }, 240_000);

  const cursorAtMiddle = () => Buffer.from(JSON.stringify([middle.created, middle.id])).toString('base64url');
  const planOf = async (filters: Omit<ConsoleUserFilters, 'limit'>) => {
    const { sql, params } = harness.app.get(ConsoleUserListQuery, { strict: false }).statement({ limit: 50, ...filters });
    const [{ 'QUERY PLAN': plan }] = await harness.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return nodesOf((plan as Array<{ Plan: PlanNode }>)[0].Plan);
  };

  const QUERIES: Array<[string, Omit<ConsoleUserFilters, 'limit'>]> = [
    ['the first page', {}],
    ['a page half-way down (cursor)', { cursor: 'middle' }],
    ['search by email prefix', { search: 'person12345' }],
    ['search by email prefix, next page', { search: 'person1', cursor: 'middle' }],
    ['search by username prefix', { search: 'PERSON77' }],
    ['search by first name', { search: 'grace' }],
    ['search by "first last"', { search: 'katherine surname42' }],
    ['search by last name', { search: 'surname99' }],
    ['search by Clerk id prefix', { search: 'user_seed0012' }],
    ['inactive users', { active: false }],
    ['inactive users, next page', { active: false, cursor: 'middle' }],
    ['active users', { active: true }],
    ['staff', { staff: true }],
    ['not staff', { staff: false }],
    ['superusers', { superuser: true }],
    ['not superusers', { superuser: false }],
    ['without a Clerk id', { hasClerkId: false }],
    ['with a Clerk id', { hasClerkId: true }],
    ['created in a range', { createdFrom: new Date(Date.now() - 86_400_000 * 3), createdTo: new Date(Date.now() - 86_400_000 * 2) }],
    ['search and filters together', { search: 'ada', active: true, staff: false, hasClerkId: true }],
  ];

  it.each(QUERIES)('%s: no sequential scan of the users table; a console index is used', async (_name, filters) => {
    const nodes = await planOf({ ...filters, cursor: filters.cursor === 'middle' ? cursorAtMiddle() : undefined });
    expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'clerk_users')).toEqual([]);
    expect(nodes.some((node) => node['Index Name']?.startsWith('IDX_clerk_console_users_'))).toBe(true);
  });

  it('pages over HTTP newest first, following nextCursor, and finds one user among the million', async () => {
    const get = (query: string) => harness.http().get(`/clerk-console/api/users?${query}`).set('Authorization', admin.bearer()).expect(200);
    const first = (await get('limit=100')).body;
    expect(first.items).toHaveLength(100);
    const second = (await get(`limit=100&cursor=${first.nextCursor}`)).body;
    const times = [...first.items, ...second.items].map((u: { createdAt: string }) => new Date(u.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const deep = (await get(`limit=3&cursor=${cursorAtMiddle()}`)).body;
    expect(deep.items.map((u: { email: string }) => u.email)).toEqual(['person500001@example.com', 'person500002@example.com', 'person500003@example.com']);
    const found = (await get('search=person424242%40')).body;
    expect(found.items.map((u: { email: string }) => u.email)).toEqual(['person424242@example.com']);
    expect((await get('superuser=true')).body.items).toHaveLength(11); // ten seeded and the admin
  });
});
