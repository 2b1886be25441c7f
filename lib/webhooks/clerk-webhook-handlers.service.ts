import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { CLERK_EVENT_HANDLER } from './webhook.constants';
import type { ClerkEventSelector, ClerkWebhookHandlerFn, ClerkWebhookHandlerOptions } from './clerk-webhook-event.types';
import type { ClerkEventHandlerMetadata } from './on-clerk-event.decorator';

/** A registered handler. */
export interface RegisteredClerkHandler {
  types: ClerkEventSelector[];
  handler: ClerkWebhookHandlerFn;
  afterCommit: boolean;
  priority: number;
  /** For logs: `Class.method` or the name given to `register`. */
  name: string;
  /** Registration order, the tie-breaker. */
  sequence: number;
}

/**
 * Every webhook handler: `@OnClerkEvent()` methods found at startup with `DiscoveryService`, plus
 * those added with `register()`. Order is deterministic: priority, then registration order.
 */
@Injectable()
export class ClerkWebhookHandlers implements OnModuleInit {
  private readonly logger = new Logger('ClerkWebhooks');
  private readonly handlers: RegisteredClerkHandler[] = [];
  private sequence = 0;
  private discovered = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    if (this.discovered) return;
    this.discovered = true;
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const metadata: ClerkEventHandlerMetadata[] | undefined = Reflect.getMetadata(CLERK_EVENT_HANDLER, prototype, method);
        for (const entry of metadata ?? []) {
          const fn = (instance[method] as ClerkWebhookHandlerFn).bind(instance);
          this.register(entry.types, fn, entry, `${instance.constructor.name}.${method}`);
        }
      }
    }
  }

  /** Adds a handler without a decorator. */
  register<T extends string>(
    types: ClerkEventSelector | ClerkEventSelector[],
    handler: ClerkWebhookHandlerFn<T>,
    options: ClerkWebhookHandlerOptions = {},
    name = handler.name || 'anonymous handler',
  ): void {
    this.handlers.push({
      types: Array.isArray(types) ? types : [types],
      handler: handler as unknown as ClerkWebhookHandlerFn,
      afterCommit: options.afterCommit ?? false,
      priority: options.priority ?? 0,
      name,
      sequence: this.sequence++,
    });
    this.handlers.sort((a, b) => a.priority - b.priority || a.sequence - b.sequence);
    this.logger.verbose(`handler ${name} registered`);
  }

  /** Handlers for `type`, in run order. */
  for(type: string): RegisteredClerkHandler[] {
    return this.handlers.filter((entry) => entry.types.includes('*') || entry.types.includes(type));
  }
}
