import { describe, expect, it } from '@jest/globals';
import { membershipCacheKey, orgCacheKey, revokedSessionCacheKey, tokenCacheKey, userCacheKey } from '../../lib/cache/cache-keys.js';
import * as organizationConstants from '../../lib/organizations/organizations.constants.js';

// Instances of two versions share one cache during a rolling deploy: the keys must not move.
describe('shared-cache keys', () => {
  it('keep their values', () => {
    expect(userCacheKey('user_1')).toBe('clerk:user:user_1');
    expect(orgCacheKey('org_1')).toBe('clerk:org:org_1');
    expect(membershipCacheKey('org_1', 'user_1')).toBe('clerk:membership:org_1:user_1');
    expect(revokedSessionCacheKey('sess_1')).toBe('clerk:revoked-session:sess_1');
    expect(tokenCacheKey('scope', 'hash')).toBe('clerk:token:scope:hash');
  });

  it('are defined once: the organizations constants re-export the same builders', () => {
    expect(organizationConstants.orgCacheKey).toBe(orgCacheKey);
    expect(organizationConstants.membershipCacheKey).toBe(membershipCacheKey);
  });
});
