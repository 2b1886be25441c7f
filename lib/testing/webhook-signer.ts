import { randomBytes } from 'node:crypto';
import { Webhook } from 'svix';

/** A signed webhook delivery, ready to POST. */
export interface SignedWebhook {
  headers: { 'svix-id': string; 'svix-timestamp': string; 'svix-signature': string; 'content-type': string };
  /** The exact bytes that were signed. */
  body: string;
}

/** Options of `signWebhook`. */
export interface SignWebhookOptions {
  /** Reuse an id to simulate a Svix retry. */
  svixId?: string;
  /** Signing time; default now. */
  timestamp?: Date;
  /** Sign with another secret (for wrong-secret cases). */
  secret?: string;
  /** Extra envelope fields or overrides. */
  envelope?: Record<string, unknown>;
}

/** A fresh Svix signing secret `whsec_…`. */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** Wraps `data` in Clerk's event envelope and signs it with svix, as Clerk's Svix delivery does. */
export function signClerkWebhook(secret: string, type: string, data: unknown, options: SignWebhookOptions = {}): SignedWebhook {
  const svixId = options.svixId ?? `msg_${randomBytes(12).toString('hex')}`;
  const timestamp = options.timestamp ?? new Date();
  const body = JSON.stringify({
    data,
    object: 'event',
    type,
    timestamp: timestamp.getTime(),
    instance_id: 'ins_fake_instance',
    event_attributes: { http_request: { client_ip: '127.0.0.1', user_agent: 'nestjs-clerk-users-testkit' } },
    ...options.envelope,
  });
  const signature = new Webhook(options.secret ?? secret).sign(svixId, timestamp, body);
  return {
    headers: {
      'svix-id': svixId,
      'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'svix-signature': signature,
      'content-type': 'application/json',
    },
    body,
  };
}
