import { describe, expect, it } from '@jest/globals';
import { Column, Entity } from 'typeorm';
import { AbstractClerkUser, ClerkUserResolver, ClerkUsersService, ClerkWebhookEventRecord } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

/** An app's own user table: one extra column and its own credential rule. */
@Entity('app_users')
class AppUser extends AbstractClerkUser {
  @Column({ type: 'varchar', length: 40, default: 'free' })
  plan: string;

  /** An identity from another provider: such an account must not be taken over by Clerk. */
  @Column({ type: 'varchar', nullable: true })
  samlSubject: string | null;

  override canBeLinkedToClerk(): boolean {
    return super.canBeLinkedToClerk() && !this.samlSubject;
  }
}

describe.each(PLATFORMS)('a custom user entity (%s)', (platform) => {
  describe.each([
    ['autoLoadEntities: true', { synchronize: true, autoLoadEntities: true }],
    // The module's other entity is listed too (the boot check names it when it is missing).
    ['entities listed explicitly', { synchronize: true, entities: [AppUser, ClerkWebhookEventRecord], autoLoadEntities: false }],
  ])('a custom entity extending AbstractClerkUser (%s)', (_name, database) => {
    const harness = useClerkTestApp({ platform, userEntity: AppUser, database });

    it('provisions into the app table with the extra column and serves the subclass instance', async () => {
      const user = harness.api.addUser({ email: 'custom@example.com' });
      const token = harness.kit.mintSessionToken({ userId: user.id });
      await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(await harness.dataSource.query(`SELECT plan, email FROM app_users WHERE "clerkId" = $1`, [user.id])).toEqual([{ plan: 'free', email: 'custom@example.com' }]);
      const service = harness.app.get(ClerkUsersService);
      const found = await service.findByClerkId(user.id);
      expect(found).toBeInstanceOf(AppUser);
      expect((found as AppUser).plan).toBe('free');
    });

    it('the cached row comes back as the subclass with Date columns restored', async () => {
      const user = harness.api.addUser({ email: 'cached-custom@example.com' });
      const token = harness.kit.mintSessionToken({ userId: user.id });
      await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
      harness.queries.reset();
      const resolver = harness.app.get(ClerkUserResolver);
      const cached = await resolver.resolve({ userId: user.id } as never);
      expect(harness.queries.count).toBe(0);
      expect(cached).toBeInstanceOf(AppUser);
      expect(cached.createdAt).toBeInstanceOf(Date);
      expect((cached as AppUser).plan).toBe('free');
    });

    it('a subclass rule (another identity provider) blocks linking', async () => {
      await harness.dataSource.query(`INSERT INTO app_users (email, "samlSubject") VALUES ('pw@example.com', 'saml|123')`);
      const user = harness.api.addUser({ email: 'pw@example.com' });
      const token = harness.kit.mintSessionToken({ userId: user.id });
      const body = (await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200)).body;
      expect(body.email).toBeNull();
      expect(await harness.dataSource.query(`SELECT "clerkId" FROM app_users WHERE email = 'pw@example.com'`)).toEqual([{ clerkId: null }]);
    });

    it('does not create the default clerk_users table', async () => {
      expect(await harness.dataSource.query(`SELECT to_regclass('clerk_users') AS t`)).toEqual([{ t: null }]);
    });
  });
});
