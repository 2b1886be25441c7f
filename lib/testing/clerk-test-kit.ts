import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { ClerkUsersForRootOptions } from '../clerk-users.module-definition.js';
import { FakeClerkApi } from './fake-clerk-api.js';
import { machineJwtParts, sessionClaims, signRs256, type MintMachineJwtInput, type MintSessionTokenInput } from './token-minter.js';
import { generateWebhookSecret, signClerkWebhook, type SignWebhookOptions, type SignedWebhook } from './webhook-signer.js';

const generateRsaKeyPair = promisify(generateKeyPair);

/** Options of `ClerkTestKit.create()`. */
export interface ClerkTestKitOptions {
  /** Frontend API host of the fake instance; becomes the publishable key and the `iss` claim. */
  frontendApi?: string;
  /** Default `azp` of minted tokens and the module's `authorizedParties`. */
  authorizedParty?: string;
  /** `kid` header of minted tokens and of the JWKS. */
  kid?: string;
  /** Reuse a key pair (PKCS#8 PEM of a 2048-bit RSA key), e.g. one persisted by `exportKeys()`. */
  privateKeyPem?: string;
  secretKey?: string;
  webhookSecret?: string;
}

/** Everything needed to rebuild the same kit in another process. */
export interface ClerkTestKitKeys {
  privateKeyPem: string;
  secretKey: string;
  webhookSecret: string;
  kid: string;
  frontendApi: string;
  authorizedParty: string;
}

/** `ClerkTestKit.env()`: the kit's settings under the names `clerkOptionsFromEnv()` reads. */
export interface ClerkTestKitEnv {
  CLERK_SECRET_KEY: string;
  CLERK_PUBLISHABLE_KEY: string;
  CLERK_JWT_KEY: string;
  CLERK_AUTH_PARTIES: string;
  CLERK_WEBHOOK_SIGNING_SECRET: string;
  CLERK_API_URL?: string;
  [name: string]: string | undefined;
}

/**
 * Everything to test a Clerk app offline: a real 2048-bit RSA key pair, session-token minting,
 * Svix-signed webhooks and a real HTTP fake of the Backend API.
 */
export class ClerkTestKit {
  /** PEM public key for `jwtKey` (networkless verification). */
  readonly jwtKey: string;
  /** Public key as a JWK, as the Backend API's `/v1/jwks` lists it. */
  readonly jwk: Record<string, unknown>;
  readonly secretKey: string;
  readonly publishableKey: string;
  /** `iss` of minted tokens: `https://<frontendApi>`. */
  readonly issuer: string;
  readonly authorizedParty: string;
  readonly webhookSecret: string;
  private api: FakeClerkApi | undefined;

  private constructor(
    private readonly privateKey: KeyObject,
    publicKey: KeyObject,
    readonly kid: string,
    private readonly frontendApi: string,
    authorizedParty: string,
    secretKey?: string,
    webhookSecret?: string,
  ) {
    this.secretKey = secretKey ?? `sk_test_${randomBytes(18).toString('base64url')}`;
    this.webhookSecret = webhookSecret ?? generateWebhookSecret();
    this.jwtKey = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    this.publishableKey = `pk_test_${Buffer.from(`${frontendApi}$`).toString('base64').replace(/=+$/, '')}`;
    this.issuer = `https://${frontendApi}`;
    this.authorizedParty = authorizedParty;
  }

  /** A kit with a fresh key pair (Clerk's `jwtKey` must be 2048-bit RSA). */
  static async create(options: ClerkTestKitOptions = {}): Promise<ClerkTestKit> {
    const { privateKey, publicKey } = options.privateKeyPem
      ? { privateKey: createPrivateKey(options.privateKeyPem), publicKey: createPublicKey(options.privateKeyPem) }
      : await generateRsaKeyPair('rsa', { modulusLength: 2048, publicExponent: 65537 });
    return new ClerkTestKit(
      privateKey,
      publicKey,
      options.kid ?? `ins_test_${randomBytes(6).toString('hex')}`,
      options.frontendApi ?? 'fake-test-12.clerk.accounts.dev',
      options.authorizedParty ?? 'http://localhost:3000',
      options.secretKey,
      options.webhookSecret,
    );
  }

  /** The kit's secrets, to persist and pass back to `create()` (dev emulators, multi-process tests). */
  exportKeys(): ClerkTestKitKeys {
    return {
      privateKeyPem: this.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      secretKey: this.secretKey,
      webhookSecret: this.webhookSecret,
      kid: this.kid,
      frontendApi: this.frontendApi,
      authorizedParty: this.authorizedParty,
    };
  }

  /** A Clerk session token for `userId`, signed with the kit's key. */
  mintSessionToken(input: MintSessionTokenInput): string {
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid, ...input.header };
    return signRs256(
      Object.fromEntries(Object.entries(header).filter(([, v]) => v !== undefined)),
      sessionClaims(input, { issuer: this.issuer, azp: this.authorizedParty }),
      this.privateKey,
    );
  }

  /** A JWT-format machine token (M2M or OAuth access token) signed with the kit's key, verified without the Backend API. */
  mintMachineJwt(input: MintMachineJwtInput): string {
    const { header, claims } = machineJwtParts(input, this.issuer);
    return signRs256({ ...header, kid: this.kid }, claims, this.privateKey);
  }

  /** Signs an arbitrary header and payload with the kit's key (for hand-built attack cases). */
  signJwt(header: Record<string, unknown>, payload: Record<string, unknown>): string {
    return signRs256(header, payload, this.privateKey);
  }

  /** A Clerk webhook event `type` carrying `data`, signed with the kit's secret. */
  signWebhook(type: string, data: unknown, options?: SignWebhookOptions): SignedWebhook {
    return signClerkWebhook(this.webhookSecret, type, data, options);
  }

  /**
   * Starts (once) the fake Backend API; it serves the kit's JWKS, checks the kit's secret key, and
   * answers user reads and writes, organizations, sessions, sign-in tokens and invitations with Clerk's
   * status codes and error bodies (duplicate identifiers, not found, injected 429 + `Retry-After`).
   */
  async startFakeApi(): Promise<FakeClerkApi> {
    this.api ??= await FakeClerkApi.start({ secretKey: this.secretKey, jwks: { keys: [this.jwk] }, frontendApi: this.frontendApi });
    return this.api;
  }

  /** The fake API once started. */
  get fakeApi(): FakeClerkApi | undefined {
    return this.api;
  }

  /** `ClerkUsersModule.forRoot()` options matching the kit (with `apiUrl` of the fake API once started). */
  moduleOptions(overrides: ClerkUsersForRootOptions = {}): ClerkUsersForRootOptions {
    return {
      secretKey: this.secretKey,
      publishableKey: this.publishableKey,
      jwtKey: this.jwtKey,
      authorizedParties: [this.authorizedParty],
      webhookSigningSecret: this.webhookSecret,
      ...(this.api ? { apiUrl: this.api.url } : {}),
      ...overrides,
    };
  }

  /**
   * The kit as `CLERK_*` environment variables, for apps configured through `ConfigService` /
   * `forRootAsync` or `clerkOptionsFromEnv()`: `ConfigModule.forRoot({ load: [() => kit.env()] })`.
   * Includes `CLERK_API_URL` once the fake API is started.
   */
  env(): ClerkTestKitEnv {
    return {
      CLERK_SECRET_KEY: this.secretKey,
      CLERK_PUBLISHABLE_KEY: this.publishableKey,
      CLERK_JWT_KEY: this.jwtKey,
      CLERK_AUTH_PARTIES: this.authorizedParty,
      CLERK_WEBHOOK_SIGNING_SECRET: this.webhookSecret,
      ...(this.api ? { CLERK_API_URL: this.api.url } : {}),
    };
  }

  /** Stops the fake API. */
  async close(): Promise<void> {
    await this.api?.close();
    this.api = undefined;
  }
}
