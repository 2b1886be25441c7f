import { describe, expect, it } from '@jest/globals';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentUser, Public, type AbstractClerkUser } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { withSessionMiddleware } from '../sessions/session-support.js';

@Controller('csrf')
class CsrfProbeController {
  @Post('transfer')
  @HttpCode(200)
  transfer(@CurrentUser() user: AbstractClerkUser) {
    return { by: user.clerkId };
  }

  @Get('balance')
  balance(@CurrentUser() user: AbstractClerkUser) {
    return { of: user.clerkId };
  }

  @Public()
  @Post('feedback')
  @HttpCode(200)
  feedback(@CurrentUser() user: AbstractClerkUser | null) {
    return { from: user?.clerkId ?? null };
  }
}

const APP_ORIGIN = 'https://app.example';
/** Ways a cross-site page can send an unsafe request with the browser's cookie. */
const CROSS_SITE: Array<[string, Record<string, string>]> = [
  ['Origin: https://evil.example', { origin: 'https://evil.example' }],
  ['Origin: null (sandboxed frame, data: URL)', { origin: 'null' }],
  ['no Origin and no Referer', {}],
  ['a Referer whose userinfo names the app (https://app.example@evil.io)', { referer: 'https://app.example@evil.io/pay' }],
  ['a sibling subdomain (same-site, another origin)', { origin: 'https://evil.app.example' }],
];

// Security review finding 5: by default (no server sessions) a cookie-authenticated unsafe request had
// no CSRF check; finding 10: on a @Public() route such a credential must be ignored, not refused.
describe.each(PLATFORMS)('cookie-authenticated unsafe requests need a trusted Origin (%s)', (platform) => {
  describe.each([
    ['default (stateless cookies)', false],
    ['sessions: true', true],
  ] as const)('%s', (_mode, sessions) => {
    const harness = useClerkTestApp({
      platform,
      clerk: { authorizedParties: [APP_ORIGIN], ...(sessions ? { sessions: true } : {}) },
      ...(sessions ? { configure: withSessionMiddleware(platform) } : {}),
      controllers: [CsrfProbeController],
      webhookPath: false,
    });
    const cookieOf = (userId: string) => `__session=${harness.kit.mintSessionToken({ userId, azp: APP_ORIGIN })}`;

    it.each(CROSS_SITE)('refuses a cross-site POST with the cookie: %s → 403, the handler never runs', async (_name, headers) => {
      const user = harness.api.addUser();
      await harness.http().post('/csrf/transfer').set('Cookie', cookieOf(user.id)).set(headers).expect(403);
    });

    it('lets the app itself POST with the cookie (Origin, or Referer when Origin is left out)', async () => {
      const user = harness.api.addUser();
      expect((await harness.http().post('/csrf/transfer').set('Cookie', cookieOf(user.id)).set('Origin', APP_ORIGIN).expect(200)).body).toEqual({ by: user.id });
      await harness.http().post('/csrf/transfer').set('Cookie', cookieOf(user.id)).set('Referer', `${APP_ORIGIN}/settings`).expect(200);
    });

    it('leaves safe methods and bearer tokens alone (a page cannot set Authorization cross-site)', async () => {
      const user = harness.api.addUser();
      await harness.http().get('/csrf/balance').set('Cookie', cookieOf(user.id)).set('Origin', 'https://evil.example').expect(200);
      const token = harness.kit.mintSessionToken({ userId: user.id, azp: APP_ORIGIN });
      await harness.http().post('/csrf/transfer').set('Authorization', `Bearer ${token}`).set('Origin', 'https://evil.example').expect(200);
    });

    it('on a @Public() route ignores the cross-site cookie instead of refusing: anonymous, 200', async () => {
      const user = harness.api.addUser();
      const crossSite = await harness.http().post('/csrf/feedback').set('Cookie', cookieOf(user.id)).set('Origin', 'https://evil.example').expect(200);
      expect(crossSite.body).toEqual({ from: null });
      const sameSite = await harness.http().post('/csrf/feedback').set('Cookie', cookieOf(user.id)).set('Origin', APP_ORIGIN).expect(200);
      expect(sameSite.body).toEqual({ from: user.id });
    });
  });
});
