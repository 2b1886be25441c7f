/**
 * `nestjs-clerk-users/swagger`: the Clerk bearer scheme for `@nestjs/swagger` (an optional peer,
 * loaded only through this entry).
 */
export {
  addClerkAuth,
  applyClerkSecurity,
  clerkSecurityScheme,
  createClerkSwaggerDocument,
  CLERK_SWAGGER_SCHEME,
  type ClerkSecurityScheme,
  type ClerkSwaggerOptions,
} from './clerk-swagger.js';
export { isClerkGuardedRoute } from './clerk-guarded-route.js';
