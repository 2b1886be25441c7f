import { describe, expect, it } from '@jest/globals';
import { clerkUserIdOfEvent } from '../../lib/webhooks/webhook-event-user.js';

const ID = 'user_2abcDEF123';

describe('clerkUserIdOfEvent: the Clerk user a webhook event is about', () => {
  it.each([
    ['user.created', { id: ID }],
    ['user.updated', { id: ID }],
    ['user.deleted', { id: ID, deleted: true }],
    ['session.created', { id: 'sess_1', user_id: ID }],
    ['session.revoked', { id: 'sess_1', user_id: ID }],
    ['organizationMembership.created', { id: 'orgmem_1', public_user_data: { user_id: ID } }],
    ['organizationMembership.deleted', { id: 'orgmem_1', public_user_data: { user_id: ID } }],
    ['email.created', { id: 'ema_1', user_id: ID }],
    ['sms.created', { id: 'sms_1', user_id: ID }],
  ])('%s → its user id', (type, data) => {
    expect(clerkUserIdOfEvent({ type, data })).toBe(ID);
  });

  it.each([
    ['organization.created', { id: 'org_1', created_by: ID }],
    ['organizationInvitation.accepted', { id: 'orginv_1', public_user_data: { user_id: ID } }],
    ['role.created', { id: ID }],
    ['email.created', { id: 'ema_1' }],
    ['email.created', { id: 'ema_1', user_id: null }],
    ['session.created', { id: 'sess_1', user_id: 42 }],
    ['session.created', { id: 'sess_1', user_id: [ID] }],
    ['session.created', { id: 'sess_1', user_id: { id: ID } }],
    ['user.updated', { id: 'org_2abc' }],
    ['user.updated', { id: 'user_' }],
    ['user.updated', { id: 'user_abc-def' }],
    ['user.updated', { id: ` ${ID}` }],
    ['user.updated', { id: `${ID}\n` }],
    ['user.updated', { id: `user_${'a'.repeat(60)}` }],
    ['organizationMembership.created', { id: 'orgmem_1', public_user_data: null }],
    ['organizationMembership.created', { id: 'orgmem_1', public_user_data: 'user_2abc' }],
    ['user', { id: ID }],
  ])('%s with %j → null', (type, data) => {
    expect(clerkUserIdOfEvent({ type, data })).toBeNull();
  });

  it('keeps an id of exactly 64 characters', () => {
    const longest = `user_${'a'.repeat(59)}`;
    expect(longest).toHaveLength(64);
    expect(clerkUserIdOfEvent({ type: 'user.updated', data: { id: longest } })).toBe(longest);
  });

  it('is null for data that is not an object', () => {
    for (const data of [null, 'user_2abc', 42, [ID]]) expect(clerkUserIdOfEvent({ type: 'user.updated', data: data as unknown as Record<string, unknown> })).toBeNull();
  });
});
