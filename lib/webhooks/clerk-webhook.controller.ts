import {
  BadRequestException,
  Controller,
  HttpCode,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  PayloadTooLargeException,
  Post,
  Req,
  UnauthorizedException,
  UnsupportedMediaTypeException,
  type Type,
} from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { Public } from '../auth/public.decorator.js';
import { ClerkWebhookProcessor } from './clerk-webhook-processor.service.js';
import { InvalidClerkPayloadError } from '../common/invalid-clerk-payload.error.js';
import { assertJsonDelivery, ClerkWebhookRejectedError, verifyClerkWebhook } from './clerk-webhook-verifier.js';
import { RAW_BODY_FIX } from '../boot/clerk-setup.error.js';
import { recordWebhookEvent } from '../metrics/clerk-metrics.js';

/** The parts of an Express or Fastify request the endpoint reads. */
export interface RawBodyRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody?: Buffer;
}

const RAW_BODY_HINT = `the Clerk webhook endpoint needs the raw request bytes: ${RAW_BODY_FIX}`;

export function toHttpError(error: ClerkWebhookRejectedError): Error {
  if (error.status === 413) return new PayloadTooLargeException();
  if (error.status === 401) return new UnauthorizedException();
  if (error.status === 415) return new UnsupportedMediaTypeException();
  return new BadRequestException('Invalid webhook');
}

/** A refused delivery as its HTTP answer (a client error: logged as a warning, never as an error); anything else unchanged. */
export function refusal(error: unknown, logger: Logger): unknown {
  if (!(error instanceof ClerkWebhookRejectedError)) return error;
  logger.warn(`webhook refused (${error.status}): ${error.detail}`);
  return toHttpError(error);
}

/** Base of the endpoint; `createClerkWebhookController(path)` mounts it. */
@Injectable()
export class ClerkWebhookControllerBase {
  private readonly logger = new Logger('ClerkWebhooks');

  constructor(
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly processor: ClerkWebhookProcessor,
  ) {}

  async receive(request: RawBodyRequest): Promise<{ ok: true }> {
    try {
      assertJsonDelivery(request.headers);
    } catch (error) {
      throw refusal(error, this.logger);
    }
    if (!Buffer.isBuffer(request.rawBody)) {
      this.logger.error(RAW_BODY_HINT);
      throw new InternalServerErrorException();
    }
    const secret = this.options.webhookSigningSecret;
    if (!secret) {
      this.logger.error('a webhook arrived but "webhookSigningSecret" (CLERK_WEBHOOK_SIGNING_KEY) is not set; answering 500 so Svix retries');
      throw new InternalServerErrorException();
    }
    let verified;
    try {
      verified = verifyClerkWebhook(request.rawBody, request.headers, secret, this.options.webhookMaxBytes);
    } catch (error) {
      throw refusal(error, this.logger);
    }
    try {
      recordWebhookEvent(verified.event.type, await this.processor.process(verified.svixId, verified.event), request.headers['svix-timestamp']);
    } catch (error) {
      recordWebhookEvent(verified.event.type, error instanceof InvalidClerkPayloadError ? 'refused' : 'failed');
      // Details are logged by the processor and kept on the event row; the sender only learns the kind.
      if (error instanceof InvalidClerkPayloadError) throw new BadRequestException('Invalid webhook');
      throw new InternalServerErrorException();
    }
    return { ok: true };
  }
}

/** The webhook controller class for `path` (the module picks the path at import time). */
export function createClerkWebhookController(path: string): Type<ClerkWebhookControllerBase> {
  @Controller(path)
  class ClerkWebhookController extends ClerkWebhookControllerBase {
    @Public()
    @Post()
    @HttpCode(200)
    override receive(@Req() request: RawBodyRequest): Promise<{ ok: true }> {
      return super.receive(request);
    }
  }
  return ClerkWebhookController;
}
