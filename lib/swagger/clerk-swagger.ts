import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DECORATORS, SwaggerModule, type DocumentBuilder, type OpenAPIObject, type SwaggerDocumentOptions } from '@nestjs/swagger';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { isClerkGuardedRoute } from './clerk-guarded-route.js';

/** An OpenAPI security scheme object, as `DocumentBuilder.addSecurity()` takes it. */
export type ClerkSecurityScheme = Parameters<DocumentBuilder['addSecurity']>[1];

/** Default name of the Clerk security scheme in the OpenAPI document. */
export const CLERK_SWAGGER_SCHEME = 'clerk';

/** Options of the Swagger helpers. */
export interface ClerkSwaggerOptions {
  /** Name of the security scheme. Default `clerk`. */
  schemeName?: string;
  /** Description shown in Swagger UI. */
  description?: string;
}

const DEFAULT_DESCRIPTION =
  'A Clerk session token (or, on routes that accept machines, an M2M token, API key or OAuth access token) as `Authorization: Bearer <token>`.';

/** The bearer scheme: `type: http`, `scheme: bearer`, `bearerFormat: JWT`. */
export function clerkSecurityScheme(options: ClerkSwaggerOptions = {}): ClerkSecurityScheme {
  return { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: options.description ?? DEFAULT_DESCRIPTION };
}

/** Adds the Clerk bearer scheme to a `DocumentBuilder` (named `clerk` unless `schemeName` says otherwise). */
export function addClerkAuth(builder: DocumentBuilder, options: ClerkSwaggerOptions = {}): DocumentBuilder {
  return builder.addSecurity(options.schemeName ?? CLERK_SWAGGER_SCHEME, clerkSecurityScheme(options));
}

/**
 * Gives every route the Clerk guard protects (not `@Public()`) the security requirement of the scheme,
 * as `@ApiSecurity('clerk')` would; routes or controllers with their own `@ApiSecurity()`/`@ApiBearerAuth()`
 * keep theirs. Call it before `SwaggerModule.createDocument()`. Returns how many routes it marked.
 */
export function applyClerkSecurity(app: INestApplication, options: ClerkSwaggerOptions = {}): number {
  const scheme = options.schemeName ?? CLERK_SWAGGER_SCHEME;
  const reflector = app.get(Reflector);
  const { globalGuard } = app.get<typeof CLERK_RESOLVED_OPTIONS, ResolvedClerkUsersOptions>(CLERK_RESOLVED_OPTIONS, { strict: false });
  const scanner = new MetadataScanner();
  let marked = 0;
  for (const { metatype, instance } of app.get(DiscoveryService, { strict: false }).getControllers()) {
    if (!metatype || !instance || Reflect.getMetadata(DECORATORS.API_SECURITY, metatype)) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      if (Reflect.getMetadata(DECORATORS.API_SECURITY, handler)) continue;
      if (!isClerkGuardedRoute(reflector, globalGuard, handler, metatype)) continue;
      Reflect.defineMetadata(DECORATORS.API_SECURITY, [{ [scheme]: [] }], handler);
      marked += 1;
    }
  }
  return marked;
}

/**
 * One call for an OpenAPI document with Clerk auth: adds the bearer scheme to `config` (when it is
 * missing), marks the guarded routes ({@link applyClerkSecurity}) and runs `SwaggerModule.createDocument`.
 */
export function createClerkSwaggerDocument(
  app: INestApplication,
  config: Omit<OpenAPIObject, 'paths'>,
  options: SwaggerDocumentOptions & ClerkSwaggerOptions = {},
): OpenAPIObject {
  const { schemeName, description, ...documentOptions } = options;
  const scheme = schemeName ?? CLERK_SWAGGER_SCHEME;
  const schemes = config.components?.securitySchemes ?? {};
  const withScheme: Omit<OpenAPIObject, 'paths'> = schemes[scheme]
    ? config
    : { ...config, components: { ...config.components, securitySchemes: { ...schemes, [scheme]: clerkSecurityScheme({ description }) } } };
  applyClerkSecurity(app, { schemeName: scheme });
  return SwaggerModule.createDocument(app, withScheme, documentOptions);
}
