import { appendFile, open } from 'node:fs/promises';

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
const field = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * The `email,link` CSV `--send-sign-in-links` writes for the app to send (nothing is emailed). The
 * links sign their holder in, so the file is created readable by its owner only; a rerun appends.
 */
export class SignInLinksCsv {
  private pending: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  static async open(path: string): Promise<SignInLinksCsv> {
    const handle = await open(path, 'a', 0o600);
    try {
      if ((await handle.stat()).size === 0) await handle.write('email,link\n');
    } finally {
      await handle.close();
    }
    return new SignInLinksCsv(path);
  }

  /** Appends one row; rows are written in call order. */
  add(email: string, link: string): Promise<void> {
    this.pending = this.pending.then(() => appendFile(this.path, `${field(email)},${field(link)}\n`));
    return this.pending;
  }
}

/** `redirectUrl` with Clerk's sign-in ticket parameter (`__clerk_ticket`), replacing one already there. */
export function signInLink(redirectUrl: string, token: string): string {
  const url = new URL(redirectUrl);
  url.searchParams.set('__clerk_ticket', token);
  return url.toString();
}
