import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  InternalServerErrorException,
  Logger,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public } from '../auth/public.decorator.js';
import { webhookSecretProblem } from '../options/clerk-keys.js';
import { DEFAULT_WEBHOOK_MAX_BYTES } from './webhook.constants.js';
import { assertJsonDelivery, verifyClerkWebhook, type VerifiedClerkWebhook } from './clerk-webhook-verifier.js';
import { refusal, type RawBodyRequest } from './clerk-webhook.controller.js';

/** Metadata key of `@ClerkWebhookEndpoint()` (its options), on a handler or a controller. */
export const CLERK_WEBHOOK_ENDPOINT = 'clerk-users:webhook-endpoint';
const VERIFIED = Symbol.for('nestjs-clerk-users:verified-webhook');

/** Where an extra endpoint's signing secret comes from. */
export interface ClerkWebhookEndpointOptions {
  /** The `whsec_…` secret itself. */
  secret?: string;
  /** Name of an environment variable holding it, read per request (like the seed's `signing_key_setting`). */
  secretEnv?: string;
  /** Largest accepted body. Default 1 MiB. */
  maxBytes?: number;
}

type VerifiedRequest = RawBodyRequest & { [VERIFIED]?: VerifiedClerkWebhook };

/** Verifies the Svix signature of a route marked with `@ClerkWebhookEndpoint()`. */
@Injectable()
export class ClerkWebhookGuard implements CanActivate {
  private readonly logger = new Logger('ClerkWebhooks');

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const options = this.reflector.getAllAndOverride<ClerkWebhookEndpointOptions>(CLERK_WEBHOOK_ENDPOINT, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<VerifiedRequest>();
    const secret = options?.secret ?? (options?.secretEnv ? process.env[options.secretEnv]?.trim() : undefined);
    if (!secret || webhookSecretProblem(secret)) {
      this.logger.error(`webhook endpoint has no usable signing secret${options?.secretEnv ? ` (${options.secretEnv})` : ''}`);
      throw new InternalServerErrorException();
    }
    try {
      assertJsonDelivery(request.headers);
      if (!Buffer.isBuffer(request.rawBody)) {
        this.logger.error('webhook endpoint needs { rawBody: true } on NestFactory.create / createNestApplication');
        throw new InternalServerErrorException();
      }
      request[VERIFIED] = verifyClerkWebhook(request.rawBody, request.headers, secret, options?.maxBytes ?? DEFAULT_WEBHOOK_MAX_BYTES);
      return true;
    } catch (error) {
      throw refusal(error, this.logger);
    }
  }
}

/** Makes a route a Svix-verified Clerk webhook endpoint with its own secret (public to the auth guard). */
export const ClerkWebhookEndpoint = (options: ClerkWebhookEndpointOptions): MethodDecorator & ClassDecorator =>
  applyDecorators(Public(), SetMetadata(CLERK_WEBHOOK_ENDPOINT, options), UseGuards(ClerkWebhookGuard));

/** The verified event of a `@ClerkWebhookEndpoint()` route; `@VerifiedClerkWebhookEvent('svixId')` gives the message id. */
export const VerifiedClerkWebhookEvent = createParamDecorator((part: 'event' | 'svixId' | undefined, context: ExecutionContext) => {
  const verified = context.switchToHttp().getRequest<VerifiedRequest>()[VERIFIED];
  return part === 'svixId' ? verified?.svixId : verified?.event;
});
