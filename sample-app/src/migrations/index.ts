import { SampleSchema1764100000000 } from './1764100000000-SampleSchema.js';
import { InvitationAcceptedBy1764100000001 } from './1764100000001-InvitationAcceptedBy.js';
import { WebhookEventUser1764100000002 } from './1764100000002-WebhookEventUser.js';

/** The sample's schema: its own user table (AppUser) plus the library's webhook and organization tables. */
export const sampleMigrations = [SampleSchema1764100000000, InvitationAcceptedBy1764100000001, WebhookEventUser1764100000002];
