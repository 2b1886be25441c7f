import { describe, expect, it } from '@jest/globals';
import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ClerkAuthGuard, Public, RequireMachine, RequireOrg } from '../../lib/index.js';
import { addClerkAuth, applyClerkSecurity, createClerkSwaggerDocument } from '../../lib/swagger/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

@Controller('notes')
class NotesController {
  @Get()
  list() {
    return [];
  }

  @Public()
  @Get('count')
  count() {
    return 0;
  }

  @Public()
  @RequireOrg()
  @Post('org-only')
  orgOnly() {
    return {};
  }

  @RequireMachine()
  @Post('import')
  importNotes() {
    return {};
  }

  @ApiBearerAuth('custom')
  @Get('custom')
  custom() {
    return {};
  }
}

@Public()
@Controller('status')
class StatusController {
  @Get()
  status() {
    return { ok: true };
  }
}

@Controller('explicit')
class ExplicitController {
  @UseGuards(ClerkAuthGuard)
  @Get('guarded')
  guarded() {
    return {};
  }

  @Get('open')
  open() {
    return {};
  }
}

/** Security requirements of each operation, as `METHOD path` → requirements (`undefined`: none). */
function securityByOperation(document: OpenAPIObject): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post'] as const) {
      const operation = item[method];
      if (operation) result[`${method.toUpperCase()} ${path}`] = operation.security;
    }
  }
  return result;
}

describe.each(PLATFORMS)('Swagger: the Clerk bearer scheme on guarded routes (%s)', (platform) => {
  describe('with the global guard', () => {
    const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { acceptsToken: 'any' }, controllers: [NotesController, StatusController], webhookPath: 'webhooks/clerk' });

    it('createClerkSwaggerDocument: one call adds the scheme and marks guarded routes only', () => {
      const document = createClerkSwaggerDocument(harness.app, new DocumentBuilder().setTitle('Notes').build());
      expect(document.components?.securitySchemes?.clerk).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      expect(securityByOperation(document)).toEqual({
        'GET /notes': [{ clerk: [] }],
        'GET /notes/count': undefined,
        'POST /notes/org-only': [{ clerk: [] }],
        'POST /notes/import': [{ clerk: [] }],
        'GET /notes/custom': [{ custom: [] }],
        'GET /status': undefined,
        'POST /webhooks/clerk': undefined,
      });
    });

    it('addClerkAuth(builder) + applyClerkSecurity(app) for apps that call SwaggerModule themselves', () => {
      const config = addClerkAuth(new DocumentBuilder().setTitle('Notes'), { schemeName: 'clerk' }).build();
      expect(applyClerkSecurity(harness.app)).toBe(0); // already marked by the previous document: idempotent
      const document = SwaggerModule.createDocument(harness.app, config);
      expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(['clerk']);
      expect(document.paths['/notes'].get?.security).toEqual([{ clerk: [] }]);
      expect(document.paths['/status'].get?.security).toBeUndefined();
    });
  });

  describe('with globalGuard: false', () => {
    const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { globalGuard: false }, controllers: [ExplicitController], webhookPath: false });

    it('only routes that bring ClerkAuthGuard along are marked', () => {
      const document = createClerkSwaggerDocument(harness.app, new DocumentBuilder().build(), { schemeName: 'session' });
      expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(['session']);
      expect(securityByOperation(document)).toEqual({ 'GET /explicit/guarded': [{ session: [] }], 'GET /explicit/open': undefined });
    });
  });
});
