import { ClerkUsersConfigurationError } from '../options/configuration.error.js';
import type { OrganizationsModuleExtras, OrganizationsModuleOptions, ResolvedOrganizationsOptions } from './organizations-options.interface.js';

const EXTRAS: ReadonlyArray<keyof OrganizationsModuleExtras> = ['organizationEntity', 'membershipEntity', 'invitationEntity'];

/** A bad `OrganizationsModule` option; a `ClerkUsersConfigurationError`, so the CLI exits 2 on it too. */
export class OrganizationsConfigurationError extends ClerkUsersConfigurationError {
  constructor(option: string, problem: string) {
    super(option, problem);
    this.message = `OrganizationsModule: option "${option}" ${problem}`;
  }
}

/**
 * Checks what `forRoot()` was given or a `forRootAsync()` factory returned. `forRoot()` has its
 * extras taken out already, so an extra here came from a factory, too late to register the entity.
 */
export function resolveOrganizationsOptions(options: OrganizationsModuleOptions | null | undefined): ResolvedOrganizationsOptions {
  const misplaced = EXTRAS.find((name) => options?.[name] !== undefined);
  if (misplaced) throw new OrganizationsConfigurationError(misplaced, 'must be passed to forRootAsync() itself, beside useFactory, not returned by the factory');
  const allowOrganizationHeader = options?.allowOrganizationHeader ?? false;
  if (typeof allowOrganizationHeader !== 'boolean') throw new OrganizationsConfigurationError('allowOrganizationHeader', 'must be true or false');
  return { allowOrganizationHeader };
}
