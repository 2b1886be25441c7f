import { Controller, Get, Header, Req, type Type } from '@nestjs/common';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';
import type { ResolvedClerkConsoleOptions } from './clerk-console-options.js';
import { guardConsoleController } from './console-access.js';
import { userLabel } from './console-actor.js';
import { renderConsolePage } from './page/console-page.html.js';
import { CONSOLE_SCRIPT } from './page/console-page.script.js';
import { CONSOLE_STYLES } from './page/console-page.styles.js';

// Same-origin everything: no inline code, no third party, not framed.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** `<path>`: the page, and its script and styles (shipped inside the library: no CDN, works offline). */
export function createConsolePageController(options: ResolvedClerkConsoleOptions): Type {
  @Controller(options.path)
  class ClerkConsolePageController {
    @Get()
    @Header('Content-Type', 'text/html; charset=utf-8')
    @Header('Content-Security-Policy', CSP)
    @Header('X-Content-Type-Options', 'nosniff')
    @Header('Cache-Control', 'no-store')
    page(@Req() request: ClerkAuthenticatedRequest): string {
      const user = request.user;
      return renderConsolePage({
        path: options.path,
        apiPath: options.apiPath,
        signedInAs: user ? userLabel(user) : '',
        method: request.auth && 'method' in request.auth ? String(request.auth.method) : 'clerk',
      });
    }

    @Get('console.js')
    @Header('Content-Type', 'text/javascript; charset=utf-8')
    @Header('X-Content-Type-Options', 'nosniff')
    @Header('Cache-Control', 'private, max-age=300')
    script(): string {
      return CONSOLE_SCRIPT;
    }

    @Get('console.css')
    @Header('Content-Type', 'text/css; charset=utf-8')
    @Header('X-Content-Type-Options', 'nosniff')
    @Header('Cache-Control', 'private, max-age=300')
    styles(): string {
      return CONSOLE_STYLES;
    }
  }
  guardConsoleController(ClerkConsolePageController, options.access);
  return ClerkConsolePageController;
}
