/** Metadata key of `@OnClerkEvent()` registrations on a method. */
export const CLERK_EVENT_HANDLER = 'clerk-users:event-handler';
/** Default path of the webhook endpoint. */
export const DEFAULT_WEBHOOK_PATH = 'webhooks/clerk';
export { DEFAULT_WEBHOOK_MAX_BYTES } from '../options/defaults.js';
/** Svix rejects deliveries older than this, and so do we. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Priority of the module's own handlers: they run before every app handler. */
export const BUILT_IN_PRIORITY = Number.MIN_SAFE_INTEGER;
