import { beforeEach, describe, expect, it } from '@jest/globals';
import { createClerkClient } from '@clerk/backend';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { deliver } from '../support/webhook-client.js';
import { AccountsTestController } from './accounts-test.controller.js';
import { calls, localRow, rowVersion } from './support.js';

/** updateMetadata is Clerk's server-side merge, and what the service wrote leaves nothing for Clerk's webhook to do. */
describe('ClerkAccountsService: metadata and the webhooks that follow', () => {
  const suite = useClerkTestApp({ controllers: [AccountsTestController, ProbeController] });
  beforeEach(() => suite.api.clearRequests());

  const row = (clerkId: string) => localRow(suite.dataSource, clerkId);

  it('ten concurrent updates of different keys all survive, in Clerk and in the local row (no read-modify-write)', async () => {
    const user = suite.api.addUser({ publicMetadata: { plan: 'free' }, privateMetadata: { note: 'keep' } });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => suite.http().patch(`/accounts/users/${user.id}/metadata`).send({ public: { [`flag${i}`]: i }, private: { [`secret${i}`]: true } }).expect(200)),
    );
    const expectedPublic = { plan: 'free', ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`flag${i}`, i])) };
    expect(suite.api.getUser(user.id)?.public_metadata).toEqual(expectedPublic);
    expect(suite.api.getUser(user.id)?.private_metadata).toEqual({ note: 'keep', ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`secret${i}`, true])) });
    expect((await row(user.id))?.publicMetadata).toEqual(expectedPublic);
    // One merge request each, and never a read of the user first.
    expect(calls(suite.api)).toEqual(Array(10).fill(`PATCH /v1/users/${user.id}/metadata`));
  });

  it('for contrast, the seed\'s read-modify-write (read, then replace) keeps one of ten interleaved updates', async () => {
    const clerk = createClerkClient({ secretKey: suite.kit.secretKey, apiUrl: suite.api.url, telemetry: { disabled: true } });
    const user = suite.api.addUser({ publicMetadata: { plan: 'free' } });
    // The interleaving concurrent requests produce: every read lands before any write.
    const reads = await Promise.all(Array.from({ length: 10 }, () => clerk.users.getUser(user.id)));
    await Promise.all(reads.map((read, i) => clerk.users.replaceUserMetadata(user.id, { publicMetadata: { ...read.publicMetadata, [`flag${i}`]: i } })));
    const survivors = Object.keys(suite.api.getUser(user.id)?.public_metadata ?? {}).filter((key) => key.startsWith('flag'));
    expect(survivors).toHaveLength(1);
  });

  it('merges deeply, a null deletes its key at any level, and unsafe metadata is merged too', async () => {
    const user = suite.api.addUser({ publicMetadata: { profile: { city: 'Paris', zip: '75001' }, tags: ['a'], obsolete: 1 } });
    const response = await suite.http()
      .patch(`/accounts/users/${user.id}/metadata`)
      .send({ public: { profile: { zip: null, country: 'FR' }, tags: ['b'], obsolete: null }, unsafe: { theme: 'dark' } })
      .expect(200);
    const merged = { profile: { city: 'Paris', country: 'FR' }, tags: ['b'] };
    expect(response.body.clerkUser).toMatchObject({ publicMetadata: merged, unsafeMetadata: { theme: 'dark' } });
    expect((await row(user.id))?.publicMetadata).toEqual(merged);
  });

  it('the user.updated webhook of the same change, arriving later, writes nothing; an older one neither', async () => {
    const user = suite.api.addUser({ publicMetadata: { step: 0 } });
    const older = suite.api.getUser(user.id)!;
    await suite.http().patch(`/accounts/users/${user.id}/metadata`).send({ public: { step: 1 } }).expect(200);
    const version = await rowVersion(suite.dataSource, user.id);

    await deliver(suite.app, suite.kit.signWebhook('user.updated', suite.api.getUser(user.id))).expect(200);
    expect(await rowVersion(suite.dataSource, user.id)).toBe(version);
    await deliver(suite.app, suite.kit.signWebhook('user.updated', older)).expect(200);
    expect(await rowVersion(suite.dataSource, user.id)).toBe(version);
    expect((await row(user.id))?.publicMetadata).toEqual({ step: 1 });
  });

  it('the user.created webhook of a user the service created writes nothing either', async () => {
    const created = await suite.http().post('/accounts/users').send({ email: 'webhook-later@example.com', firstName: 'Early' }).expect(201);
    const clerkId: string = created.body.clerkUser.id;
    const version = await rowVersion(suite.dataSource, clerkId);
    await deliver(suite.app, suite.kit.signWebhook('user.created', suite.api.getUser(clerkId))).expect(200);
    expect(await rowVersion(suite.dataSource, clerkId)).toBe(version);
  });

  it('a newer webhook (a change made elsewhere) still applies after the service wrote', async () => {
    const user = suite.api.addUser({ firstName: 'Before' });
    await suite.http().patch(`/accounts/users/${user.id}`).send({ firstName: 'Service' }).expect(200);
    const elsewhere = suite.api.updateUser(user.id, { first_name: 'Dashboard' });
    await deliver(suite.app, suite.kit.signWebhook('user.updated', elsewhere)).expect(200);
    expect(await row(user.id)).toMatchObject({ firstName: 'Dashboard' });
  });

  it('when Clerk refuses the merge, the local row is not written', async () => {
    const user = suite.api.addUser({ publicMetadata: { kept: true } });
    await suite.http().patch(`/accounts/users/${user.id}/metadata`).send({ public: { first: 1 } }).expect(200);
    const version = await rowVersion(suite.dataSource, user.id);
    suite.api.failNext({ status: 422, code: 'form_param_value_invalid', paramName: 'public_metadata', pathPrefix: `/v1/users/${user.id}/metadata` });
    const refused = await suite.http().patch(`/accounts/users/${user.id}/metadata`).send({ public: { second: 2 } }).expect(502);
    expect(refused.body).toMatchObject({ operation: 'updateMetadata', status: 422, code: 'form_param_value_invalid', paramName: 'public_metadata' });
    expect(await rowVersion(suite.dataSource, user.id)).toBe(version);
    expect(suite.api.getUser(user.id)?.public_metadata).toEqual({ kept: true, first: 1 });
  });

  it('a 5xx on an idempotent merge is retried; the merge then applies once', async () => {
    const user = suite.api.addUser();
    suite.api.failNext({ status: 503, pathPrefix: `/v1/users/${user.id}/metadata` });
    await suite.http().patch(`/accounts/users/${user.id}/metadata`).send({ public: { retried: true } }).expect(200);
    expect(calls(suite.api)).toEqual([`PATCH /v1/users/${user.id}/metadata`, `PATCH /v1/users/${user.id}/metadata`]);
    expect((await row(user.id))?.publicMetadata).toEqual({ retried: true });
  });
});
