import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, HttpAdapterHost, MetadataScanner, Reflector } from '@nestjs/core';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkUsersConfigurationError } from '../options/configuration.error.js';
import { webhookSecretProblem } from '../options/clerk-keys.js';
import { ClerkWebhookControllerBase } from '../webhooks/clerk-webhook.controller.js';
import { CLERK_WEBHOOK_ENDPOINT, type ClerkWebhookEndpointOptions } from '../webhooks/clerk-webhook.guard.js';
import { BodyParserWatch } from './body-parser-watch.js';
import { RAW_BODY_FIX } from './clerk-setup.error.js';

interface WebhookRoute {
  /** How the route is named in messages. */
  label: string;
  /** The module's own endpoint (`webhookPath`), rather than an app's `@ClerkWebhookEndpoint()` route. */
  builtIn: boolean;
  options?: ClerkWebhookEndpointOptions;
}

/**
 * Checks at `init()` what only the running application can tell: a mounted webhook endpoint has a
 * signing secret (an error), and the app keeps the raw request bytes Svix signatures are computed
 * over (an error in the log). Without an HTTP server (a CLI, an application context) nothing can be
 * delivered: no check.
 */
@Injectable()
export class ClerkWebhookSetupCheck implements OnModuleInit {
  private readonly logger = new Logger('ClerkUsersModule');
  private watch: BodyParserWatch | undefined;

  constructor(
    host: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {
    // The adapter arrives with NestFactory.create / createNestApplication, before init() registers the body parsers.
    host.init$.subscribe(() => {
      if (host.httpAdapter) this.watch = new BodyParserWatch(host.httpAdapter);
    });
  }

  onModuleInit(): void {
    if (!this.watch) return;
    const routes = this.webhookRoutes();
    if (!routes.length) return;
    const builtIn = routes.find((route) => route.builtIn);
    if (builtIn && !this.options.webhookSigningSecret) {
      throw new ClerkUsersConfigurationError(
        'webhookSigningSecret',
        `is not set, but ${builtIn.label} is mounted: set webhookSigningSecret (CLERK_WEBHOOK_SIGNING_SECRET or CLERK_WEBHOOK_SIGNING_KEY ` +
          'with clerkOptionsFromEnv()) to the endpoint\'s signing secret from the Clerk dashboard, or pass webhookPath: false to ClerkUsersModule.forRoot() to mount no endpoint',
      );
    }
    for (const route of routes) if (!route.builtIn) this.checkEndpointSecret(route);
    const labels = routes.map((route) => route.label).join(', ');
    const setting = this.watch.setting;
    // Logged, not thrown: the app's creation options are not the module's to refuse, and the
    // endpoint still fails safe (500, so Svix retries) until the app is restarted with the fix.
    if (setting === 'off') {
      this.logger.error(`${labels} verifies signatures over the raw request bytes, but the app does not keep them: every delivery will answer 500 until you ${RAW_BODY_FIX}`);
    }
    if (setting === 'unknown') {
      this.logger.warn(`${labels} reads request.rawBody, and the app registers its own body parsers (bodyParser: false): make sure they keep it, or ${RAW_BODY_FIX}`);
    }
  }

  /** An app endpoint's secret is read per request (`secretEnv`): a boot-time warning, not an error. */
  private checkEndpointSecret(route: WebhookRoute): void {
    const { secret, secretEnv } = route.options ?? {};
    const value = secret ?? (secretEnv ? process.env[secretEnv]?.trim() : undefined);
    const problem = value ? webhookSecretProblem(value) : 'is not set';
    if (problem) this.logger.warn(`${route.label}: its signing secret${secretEnv ? ` (${secretEnv})` : ''} ${problem}; every delivery will answer 500 until it is fixed`);
  }

  private webhookRoutes(): WebhookRoute[] {
    const routes: WebhookRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const { metatype, instance } = wrapper;
      if (!metatype || !instance) continue;
      if (instance instanceof ClerkWebhookControllerBase) {
        const path = this.reflector.get<string | undefined>(PATH_METADATA, metatype);
        routes.push({ label: `the Clerk webhook endpoint (POST /${path ?? ''})`, builtIn: true });
        continue;
      }
      const classOptions = this.reflector.get<ClerkWebhookEndpointOptions | undefined>(CLERK_WEBHOOK_ENDPOINT, metatype);
      for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const handler = (instance as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const options = this.reflector.get<ClerkWebhookEndpointOptions | undefined>(CLERK_WEBHOOK_ENDPOINT, handler) ?? classOptions;
        const isRoute = this.reflector.get<string | undefined>(PATH_METADATA, handler) !== undefined;
        if (options && isRoute) routes.push({ label: `the webhook endpoint ${metatype.name}.${name}`, builtIn: false, options });
      }
    }
    return routes;
  }
}
