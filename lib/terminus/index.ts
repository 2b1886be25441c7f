/**
 * `nestjs-clerk-users/terminus`: a `@nestjs/terminus` health indicator for Clerk (an optional peer,
 * loaded only through this entry).
 */
export { ClerkHealthIndicator, type ClerkHealthCheckOptions } from './clerk-health.indicator.js';
