import type { HttpServer } from '@nestjs/common';

/** Whether the app's body parsers keep `request.rawBody`, as far as the HTTP adapter was told. */
export type RawBodySetting = 'on' | 'off' | 'unknown';

/**
 * Learns the application's `rawBody` option from the HTTP adapter. Nest keeps that option on the
 * (unreachable) application object and hands it to the adapter only as the second argument of
 * `registerParserMiddleware(prefix, rawBody)` during `init()`, and of `useBodyParser(type, rawBody, …)`
 * for `app.useBodyParser()`: both documented parts of the `HttpServer` contract, on Express and
 * Fastify alike. The watch wraps the two on this adapter instance and passes every call through.
 */
export class BodyParserWatch {
  private rawBody: boolean | undefined;

  constructor(adapter: HttpServer) {
    this.intercept(adapter, 'registerParserMiddleware');
    this.intercept(adapter, 'useBodyParser');
  }

  /** `unknown` when no parser was registered through Nest (`bodyParser: false` and the app's own parsers). */
  get setting(): RawBodySetting {
    if (this.rawBody === undefined) return 'unknown';
    return this.rawBody ? 'on' : 'off';
  }

  private intercept(adapter: HttpServer, method: 'registerParserMiddleware' | 'useBodyParser'): void {
    const target = adapter as unknown as Record<string, unknown>;
    const original = target[method];
    if (typeof original !== 'function') return;
    target[method] = (...args: unknown[]): unknown => {
      this.rawBody = this.rawBody === true || args[1] === true;
      return (original as (...args: unknown[]) => unknown).apply(adapter, args);
    };
  }
}
