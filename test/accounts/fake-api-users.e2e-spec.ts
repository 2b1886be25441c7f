import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { useClerkTestKit } from '../support/clerk-test-app.js';
import { clerkRefusal } from './support.js';

/** The kit's fake Backend API answers @clerk/backend's user writes with Clerk's status codes and error bodies. */
describe('FakeClerkApi: creating users', () => {
  const suite = useClerkTestKit();
  let clerk: ClerkClient;

  beforeAll(() => {
    clerk = createClerkClient({ secretKey: suite.kit.secretKey, apiUrl: suite.api.url, telemetry: { disabled: true } });
  });
  beforeEach(() => suite.api.clearRequests());


  it('POST /v1/users creates a user from the snake_case body @clerk/backend sends', async () => {
    const user = await clerk.users.createUser({
      emailAddress: ['Ada@Example.com', 'ada.second@example.com'],
      password: 'correct horse battery',
      username: 'ada_l',
      firstName: 'Ada',
      lastName: 'Lovelace',
      externalId: 'local-17',
      publicMetadata: { plan: 'pro' },
      privateMetadata: { note: 'vip' },
      unsafeMetadata: { theme: 'dark' },
    });
    expect(user).toMatchObject({
      username: 'ada_l',
      firstName: 'Ada',
      lastName: 'Lovelace',
      externalId: 'local-17',
      passwordEnabled: true,
      publicMetadata: { plan: 'pro' },
      privateMetadata: { note: 'vip' },
      unsafeMetadata: { theme: 'dark' },
    });
    expect(user.id).toMatch(/^user_[0-9A-Za-z]{27}$/);
    expect(user.emailAddresses.map((address) => address.emailAddress)).toEqual(['Ada@Example.com', 'ada.second@example.com']);
    expect(user.primaryEmailAddress?.emailAddress).toBe('Ada@Example.com');
    expect(suite.api.getUser(user.id)).toMatchObject({ external_id: 'local-17' });
    expect(suite.api.getUserCredentials(user.id)).toEqual({ kind: 'plaintext' });
    expect(suite.api.requests).toEqual([expect.objectContaining({ method: 'POST', path: '/v1/users' })]);
  });

  it('passes a password digest and its hasher through, and creates passwordless users only with skip_password_requirement', async () => {
    const digest = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
    const hashed = await clerk.users.createUser({ emailAddress: ['digest@example.com'], passwordDigest: digest, passwordHasher: 'bcrypt' });
    expect(hashed.passwordEnabled).toBe(true);
    expect(suite.api.getUserCredentials(hashed.id)).toEqual({ kind: 'digest', passwordHasher: 'bcrypt', passwordDigest: digest });

    expect(await clerkRefusal(clerk.users.createUser({ emailAddress: ['nopass@example.com'] }))).toMatchObject({ status: 422, code: 'form_param_missing', param: 'password' });
    const passwordless = await clerk.users.createUser({ emailAddress: ['nopass@example.com'], skipPasswordRequirement: true });
    expect(passwordless.passwordEnabled).toBe(false);
    expect(suite.api.getUserCredentials(passwordless.id)).toEqual({ kind: 'none' });

    expect(await clerkRefusal(clerk.users.createUser({ emailAddress: ['short@example.com'], password: 'short' }))).toMatchObject({ status: 422, code: 'form_password_length_too_short', param: 'password' });
    expect((await clerk.users.createUser({ emailAddress: ['short@example.com'], password: 'short', skipPasswordChecks: true })).passwordEnabled).toBe(true);
    const unknownHasher = clerk.users.createUser({ emailAddress: ['hasher@example.com'], passwordDigest: 'x', passwordHasher: 'rot13' as 'bcrypt' });
    expect(await clerkRefusal(unknownHasher)).toMatchObject({ status: 422, code: 'form_param_value_invalid', param: 'password_hasher' });
  });

  it('answers a taken email, username or external id with 422 form_identifier_exists naming the parameter', async () => {
    await clerk.users.createUser({ emailAddress: ['taken@example.com'], username: 'taken_name', externalId: 'ext-taken', skipPasswordRequirement: true });
    const before = suite.api.listUsers().length;
    expect(await clerkRefusal(clerk.users.createUser({ emailAddress: ['TAKEN@example.com'], skipPasswordRequirement: true }))).toEqual({
      status: 422,
      code: 'form_identifier_exists',
      param: 'email_address',
      retryAfter: undefined,
    });
    expect(await clerkRefusal(clerk.users.createUser({ emailAddress: ['free@example.com'], username: 'Taken_Name', skipPasswordRequirement: true }))).toMatchObject({
      status: 422,
      code: 'form_identifier_exists',
      param: 'username',
    });
    expect(await clerkRefusal(clerk.users.createUser({ emailAddress: ['free@example.com'], externalId: 'ext-taken', skipPasswordRequirement: true }))).toMatchObject({
      code: 'form_identifier_exists',
      param: 'external_id',
    });
    expect(await clerkRefusal(clerk.users.createUser({ emailAddress: ['free@example.com'], username: 'ab', skipPasswordRequirement: true }))).toMatchObject({ code: 'form_username_invalid_length', param: 'username' });
    expect(await clerkRefusal(clerk.users.createUser({ emailAddress: ['not-an-email'], skipPasswordRequirement: true }))).toMatchObject({ code: 'form_param_format_invalid', param: 'email_address' });
    expect(suite.api.listUsers()).toHaveLength(before);
  });

  it('a user removed from the fake frees its identifiers again', async () => {
    const first = await clerk.users.createUser({ emailAddress: ['reuse@example.com'], username: 'reuse_me', skipPasswordRequirement: true });
    await clerk.users.deleteUser(first.id);
    const second = await clerk.users.createUser({ emailAddress: ['reuse@example.com'], username: 'reuse_me', skipPasswordRequirement: true });
    expect(second.id).not.toBe(first.id);
  });

  it('GET /v1/users filters by external_id and email_address (case-insensitive, any address of the user)', async () => {
    const user = await clerk.users.createUser({ emailAddress: ['primary.f@example.com', 'Second.F@example.com'], externalId: 'ext-filter', skipPasswordRequirement: true });
    const byExternalId = await clerk.users.getUserList({ externalId: ['ext-filter'] });
    expect(byExternalId.data.map((found) => found.id)).toEqual([user.id]);
    expect(byExternalId.totalCount).toBe(1);
    expect((await clerk.users.getUserList({ emailAddress: ['second.f@EXAMPLE.com'] })).data.map((found) => found.id)).toEqual([user.id]);
    expect((await clerk.users.getUserList({ externalId: ['ext-none'] })).data).toEqual([]);
    expect(suite.api.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`)).toContain('GET /v1/users?external_id=ext-filter');
  });

  it('an injected 429 answers POST /v1/users with Retry-After, and nothing is created', async () => {
    const before = suite.api.listUsers().length;
    suite.api.failNext({ status: 429, retryAfterSeconds: 3, pathPrefix: '/v1/users' });
    expect(await clerkRefusal(clerk.users.createUser({ emailAddress: ['limited@example.com'], skipPasswordRequirement: true }))).toMatchObject({
      status: 429,
      code: 'too_many_requests',
      retryAfter: 3,
    });
    expect(suite.api.listUsers()).toHaveLength(before);
  });
});
