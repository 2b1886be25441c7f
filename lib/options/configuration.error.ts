/** Thrown at boot when an option or extra is malformed; the message names it, never its value. */
export class ClerkUsersConfigurationError extends Error {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`ClerkUsersModule: option "${option}" ${problem}`);
    this.name = 'ClerkUsersConfigurationError';
  }
}
