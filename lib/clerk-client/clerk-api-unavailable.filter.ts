import { Catch, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ClerkApiUnavailableException } from './clerk-api-unavailable.exception.js';

interface EmittingClient {
  emit?: (event: string, data: unknown) => unknown;
}

/**
 * Answers {@link ClerkApiUnavailableException} with 503 and `Retry-After` on HTTP (Express and
 * Fastify), which Nest's own filter cannot do: it sets no headers. Registered by the module as a
 * global filter; an app filter that catches the exception itself can read `retryAfterSeconds`.
 */
@Catch(ClerkApiUnavailableException)
@Injectable()
export class ClerkApiUnavailableFilter implements ExceptionFilter<ClerkApiUnavailableException> {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: ClerkApiUnavailableException, host: ArgumentsHost): void {
    const type = host.getType<string>();
    if (type === 'http') {
      const adapter = this.adapterHost.httpAdapter;
      const response: unknown = host.switchToHttp().getResponse();
      if (adapter.isHeadersSent(response)) return;
      adapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
      adapter.reply(response, exception.getResponse(), exception.getStatus());
      return;
    }
    // A gateway's default filter would answer "Internal server error" the same way; say what it is.
    if (type === 'ws') host.switchToWs().getClient<EmittingClient>().emit?.('exception', { status: 'error', message: 'Service Unavailable' });
    // GraphQL (and any other context): returning nothing leaves the exception to Nest's handling there.
  }
}
