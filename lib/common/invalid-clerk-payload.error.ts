/**
 * Clerk JSON that cannot be mapped (no id, wrong object, a value of the wrong type, longer than its
 * column or holding a NUL byte): bad input, answered 400 by the webhook endpoint (the event recorded
 * as refused) and counted as a failed item by the syncs; nothing of it is written.
 */
export class InvalidClerkPayloadError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidClerkPayloadError';
  }
}

/** `data.id` of an event, or `InvalidClerkPayloadError`. */
export function requireDataId(event: { type: string; data: unknown }): string {
  const id = (event.data as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || !id) throw new InvalidClerkPayloadError(`${event.type} without data.id`);
  return id;
}
