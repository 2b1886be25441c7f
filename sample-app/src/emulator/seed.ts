/** The people and organizations the offline emulator starts with. */
export const SEED_USERS = [
  { id: 'user_sampleada000000000000000001', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', username: 'ada' },
  { id: 'user_samplegrace0000000000000001', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', username: 'grace' },
  { id: 'user_samplealan00000000000000001', email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', username: 'alan' },
];

export const SEED_ORGANIZATIONS = [
  { id: 'org_sampleacme0000000000000000001', name: 'Acme', slug: 'acme' },
  { id: 'org_sampleglobex00000000000000001', name: 'Globex', slug: 'globex' },
];

/** Who is in which org, with which role (and the permissions the tokens carry). */
export const SEED_MEMBERSHIPS = [
  { userId: SEED_USERS[0].id, organizationId: SEED_ORGANIZATIONS[0].id, role: 'org:admin', permissions: ['org:reports:read', 'org:reports:manage'] },
  { userId: SEED_USERS[0].id, organizationId: SEED_ORGANIZATIONS[1].id, role: 'org:member', permissions: ['org:reports:read'] },
  { userId: SEED_USERS[1].id, organizationId: SEED_ORGANIZATIONS[0].id, role: 'org:member', permissions: ['org:reports:read'] },
  { userId: SEED_USERS[1].id, organizationId: SEED_ORGANIZATIONS[1].id, role: 'org:admin', permissions: ['org:reports:read', 'org:reports:manage'] },
];

/** Grace is staff in the sample's own table (staff is the app's decision: Clerk has no such flag). */
export const SEED_STAFF_USER_ID = SEED_USERS[1].id;

/** The password-login staff account the emulator creates at start (no Clerk identity). */
export const STAFF_ACCOUNT_EMAIL = 'staff@example.com';
