/** An email address of Clerk's user JSON (snake_case, as on the wire and in webhooks). */
export interface ClerkEmailAddressJson {
  id: string;
  email_address: string;
  verification?: { status?: string | null; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** Clerk's user JSON as returned by the Backend API and sent in `user.*` webhooks. */
export interface ClerkUserJson {
  id: string;
  object?: string;
  username?: string | null;
  /** Set only through the Backend API (never by the user): `migrate-users-to-clerk` puts the local row's id here. */
  external_id?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  image_url?: string | null;
  primary_email_address_id?: string | null;
  email_addresses?: ClerkEmailAddressJson[] | null;
  public_metadata?: Record<string, unknown> | null;
  banned?: boolean;
  locked?: boolean;
  last_sign_in_at?: number | null;
  created_at?: number;
  updated_at?: number;
  [key: string]: unknown;
}
