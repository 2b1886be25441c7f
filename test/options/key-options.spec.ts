import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger, type LoggerService } from '@nestjs/common';
import { clerkOptionsFromEnv } from '../../lib/index.js';
import { resolveClerkUsersOptions } from '../../lib/options/resolve-options.js';
import { isPlaceholderKey } from '../../lib/options/clerk-keys.js';
import { ClerkTestKit } from '../../lib/testing/index.js';

/** Collects what the Nest logger is asked to print. */
function captureLogger() {
  const warnings: string[] = [];
  const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (message: unknown) => void warnings.push(String(message)) };
  Logger.overrideLogger(logger);
  return warnings;
}

describe('key options, whatever their source', () => {
  let kit: ClerkTestKit;
  const escaped = (pem: string) => pem.replace(/\n/g, '\\n');

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });

  it('a one-line jwtKey with \\n escapes (ConfigService, forRootAsync factories) is unescaped like clerkOptionsFromEnv does', () => {
    expect(kit.jwtKey).toContain('\n');
    expect(resolveClerkUsersOptions({ jwtKey: escaped(kit.jwtKey) }).jwtKey).toBe(kit.jwtKey.trim());
    expect(resolveClerkUsersOptions({ jwtKey: escaped(kit.jwtKey).replace(/\\n/g, '\\r\\n') }).jwtKey).toBe(kit.jwtKey.trim());
    expect(resolveClerkUsersOptions({ jwtKey: escaped(kit.jwtKey) }).jwtKey).toBe(clerkOptionsFromEnv({ CLERK_JWT_KEY: escaped(kit.jwtKey) }).jwtKey?.trim());
  });

  it('secrets lose surrounding whitespace (a trailing newline from a secrets file) and escaped newlines', () => {
    const resolved = resolveClerkUsersOptions({
      secretKey: `${kit.secretKey}\n`,
      publishableKey: `  ${kit.publishableKey} `,
      webhookSigningSecret: `${kit.webhookSecret}\\n`,
    });
    expect(resolved).toMatchObject({ secretKey: kit.secretKey, publishableKey: kit.publishableKey, webhookSigningSecret: kit.webhookSecret });
  });

  it('a blank key counts as unset', () => {
    expect(resolveClerkUsersOptions({ jwtKey: kit.jwtKey, secretKey: '  ', webhookSigningSecret: '' })).toMatchObject({ secretKey: undefined, webhookSigningSecret: undefined });
  });
});

describe('CLERK_WEBHOOK_SIGNING_SECRET (Clerk\'s name) beside CLERK_WEBHOOK_SIGNING_KEY (the seed\'s)', () => {
  let warnings: string[];
  beforeAll(() => {
    warnings = captureLogger();
  });
  afterEach(() => {
    warnings.length = 0;
  });
  afterAll(() => Logger.overrideLogger(false));

  it('either name sets webhookSigningSecret', () => {
    expect(clerkOptionsFromEnv({ CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_clerkname' }).webhookSigningSecret).toBe('whsec_clerkname');
    expect(clerkOptionsFromEnv({ CLERK_WEBHOOK_SIGNING_KEY: 'whsec_seedname' }).webhookSigningSecret).toBe('whsec_seedname');
    expect(warnings).toEqual([]);
  });

  it('both set to one value: no warning', () => {
    expect(clerkOptionsFromEnv({ CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_same', CLERK_WEBHOOK_SIGNING_KEY: 'whsec_same' }).webhookSigningSecret).toBe('whsec_same');
    expect(warnings).toEqual([]);
  });

  it('both set to different values: CLERK_WEBHOOK_SIGNING_SECRET wins, one warning names both settings and neither value', () => {
    expect(clerkOptionsFromEnv({ CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_newer', CLERK_WEBHOOK_SIGNING_KEY: 'whsec_older' }).webhookSigningSecret).toBe('whsec_newer');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/CLERK_WEBHOOK_SIGNING_SECRET.*CLERK_WEBHOOK_SIGNING_KEY/);
    expect(warnings[0]).not.toMatch(/whsec_/);
  });

  it('a placeholder under Clerk\'s name is an error naming it', () => {
    expect(() => clerkOptionsFromEnv({ CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_YOUR_SIGNING_SECRET' })).toThrow(/CLERK_WEBHOOK_SIGNING_SECRET.*placeholder/);
  });
});

describe('placeholder keys', () => {
  let kit: ClerkTestKit;
  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });

  it.each([
    'sk_test_YOUR_SECRET_KEY',
    'sk_live_YOUR_CLERK_SECRET_KEY',
    'sk_test_XXXX',
    'sk_live_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    'sk_test_xxxxxxxx',
    'sk_test_****',
    'sk_test_...',
    'sk_test_<your-secret-key>',
    'sk_test_{{CLERK_SECRET_KEY}}',
    'sk_test_changeme',
    'pk_test_YOUR_PUBLISHABLE_KEY',
    'pk_live_REPLACE_ME',
    'whsec_YOUR_SIGNING_SECRET',
    'whsec_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    'changeme',
    'CHANGEME',
    'change-me',
    'your_secret_key',
    'sk_test_mock_secret_key',
  ])('%s is a placeholder', (value) => {
    expect(isPlaceholderKey(value)).toBe(true);
  });

  it('keys Clerk issues (and short test values) are not placeholders', () => {
    for (const value of [kit.secretKey, kit.publishableKey, kit.webhookSecret, 'sk_test_abcdef', 'pk_test_x', 'whsec_abc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc']) {
      expect([value, isPlaceholderKey(value)]).toEqual([value, false]);
    }
  });

  it.each([
    ['secretKey', { secretKey: 'sk_test_YOUR_SECRET_KEY' }],
    ['secretKey', { secretKey: 'changeme' }],
    ['publishableKey', { publishableKey: 'pk_test_YOUR_PUBLISHABLE_KEY' }],
    // Valid base64 after whsec_, so only the placeholder check stops it.
    ['webhookSigningSecret', { webhookSigningSecret: 'whsec_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' }],
  ])('option %s set to a placeholder fails at boot, naming the option', (name, options) => {
    expect(() => resolveClerkUsersOptions({ jwtKey: kit.jwtKey, ...options })).toThrow(new RegExp(`"${name}" is a placeholder`));
  });

  it.each([
    ['CLERK_SECRET_KEY', 'sk_live_XXXX'],
    ['CLERK_SECRET_KEY', 'changeme'],
    ['CLERK_PUBLISHABLE_KEY', 'pk_test_YOUR_PUBLISHABLE_KEY'],
    ['CLERK_WEBHOOK_SIGNING_KEY', 'whsec_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'],
  ])('env %s set to a placeholder is an error naming it', (name, value) => {
    expect(() => clerkOptionsFromEnv({ [name]: value })).toThrow(new RegExp(`"${name}" is a placeholder`));
  });
});

describe('apiTimeoutMs / CLERK_API_TIMEOUT_MS', () => {
  let kit: ClerkTestKit;
  beforeAll(async () => {
    kit = await ClerkTestKit.create();
  });

  it('defaults to 10000 ms, like the seed', () => {
    expect(resolveClerkUsersOptions({ jwtKey: kit.jwtKey }).apiTimeoutMs).toBe(10_000);
  });

  it('is read from CLERK_API_TIMEOUT_MS', () => {
    expect(clerkOptionsFromEnv({ CLERK_API_TIMEOUT_MS: '2500' }).apiTimeoutMs).toBe(2500);
    expect(() => clerkOptionsFromEnv({ CLERK_API_TIMEOUT_MS: '2.5s' })).toThrow(/CLERK_API_TIMEOUT_MS.*milliseconds/);
  });

  it.each([0, -1, 1.5, 600_001, '1000' as unknown as number])('%p is refused at boot, naming the option', (value) => {
    expect(() => resolveClerkUsersOptions({ jwtKey: kit.jwtKey, apiTimeoutMs: value })).toThrow(/"apiTimeoutMs"/);
  });
});
