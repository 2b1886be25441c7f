import { Webhook, WebhookVerificationError } from 'svix';
import type { ClerkWebhookEvent } from './clerk-webhook-event.types.js';

/** Why a delivery was refused; `status` is the HTTP answer (the detail is for logs only). */
export class ClerkWebhookRejectedError extends Error {
  constructor(readonly status: 400 | 401 | 413 | 415, readonly detail: string) {
    super(detail);
    this.name = 'ClerkWebhookRejectedError';
  }
}

/** A verified delivery. */
export interface VerifiedClerkWebhook {
  svixId: string;
  event: ClerkWebhookEvent;
}

type HeaderBag = Record<string, string | string[] | undefined>;

const headerValue = (headers: HeaderBag, name: string): string | undefined => {
  const value = headers[name] ?? headers[name.replace(/^svix-/, 'webhook-')];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Svix always sends `application/json`: any other content type (or none) is refused with 415 before
 * the raw bytes are looked for, since body parsers keep them only for the types they parse (JSON and
 * forms), and a missing `rawBody` would otherwise read as the app's misconfiguration (a 500).
 */
export function assertJsonDelivery(headers: HeaderBag): void {
  const value = headers['content-type'];
  const contentType = (Array.isArray(value) ? value[0] : value) ?? '';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') throw new ClerkWebhookRejectedError(415, `content type ${JSON.stringify(contentType.slice(0, 100))} is not application/json`);
}

/**
 * Verifies a Svix-signed Clerk delivery over the raw bytes (svix 1.x, 5-minute tolerance, any of
 * several `v1,` signatures) and checks the envelope. Never verifies a re-serialised body.
 */
export function verifyClerkWebhook(rawBody: Buffer, headers: HeaderBag, secret: string, maxBytes: number): VerifiedClerkWebhook {
  if (rawBody.length > maxBytes) throw new ClerkWebhookRejectedError(413, `body of ${rawBody.length} bytes exceeds ${maxBytes}`);
  const svixHeaders = {
    'svix-id': headerValue(headers, 'svix-id'),
    'svix-timestamp': headerValue(headers, 'svix-timestamp'),
    'svix-signature': headerValue(headers, 'svix-signature'),
  };
  if (!svixHeaders['svix-id'] || !svixHeaders['svix-timestamp'] || !svixHeaders['svix-signature']) {
    throw new ClerkWebhookRejectedError(400, 'missing svix-id, svix-timestamp or svix-signature header');
  }
  let payload: unknown;
  try {
    payload = new Webhook(secret).verify(rawBody, svixHeaders as Record<string, string>);
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new ClerkWebhookRejectedError(401, `signature: ${error.message}`);
    throw new ClerkWebhookRejectedError(400, 'body is not JSON');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new ClerkWebhookRejectedError(400, 'envelope is not an object');
  const envelope = payload as Record<string, unknown>;
  if (typeof envelope.type !== 'string' || !envelope.type) throw new ClerkWebhookRejectedError(400, 'envelope has no type');
  if (!envelope.data || typeof envelope.data !== 'object' || Array.isArray(envelope.data)) {
    throw new ClerkWebhookRejectedError(400, 'envelope data is not an object');
  }
  return { svixId: svixHeaders['svix-id'], event: envelope as unknown as ClerkWebhookEvent };
}
