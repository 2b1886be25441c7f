import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { BUILT_IN_PRIORITY, CLERK_EVENT_HANDLER } from './webhook.constants.js';
import type { ClerkEventSelector, ClerkWebhookEvent, ClerkWebhookHandlerFn, ClerkWebhookHandlerOptions } from './clerk-webhook-event.types.js';
import type { ClerkEventHandlerMetadata } from './on-clerk-event.decorator.js';

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

/** What a delivery came to: its effects committed, or it had been processed before. */
export type ClerkWebhookOutcome = 'processed' | 'duplicate';

/**
 * A built-in handler's one-statement form: claims the delivery and applies the event in one atomic
 * statement (no transaction round trips). Resolves `undefined`, having written nothing, when it
 * cannot decide safely; the transactional path then runs.
 */
export type ClerkOneStatementHandler = (svixId: string, event: ClerkWebhookEvent) => Promise<ClerkWebhookOutcome | undefined>;

/** How the processor runs one event type: its handlers in order, split by phase. */
export interface ClerkEventPlan {
  inTransaction: RegisteredClerkHandler[];
  afterCommit: RegisteredClerkHandler[];
  /** Set when the only in-transaction handler is a built-in one with a one-statement form. */
  oneStatement?: ClerkOneStatementHandler;
}

/**
 * Every webhook handler: `@OnClerkEvent()` methods found at startup with `DiscoveryService`, plus
 * those added with `register()`. Order is deterministic: priority, then registration order.
 */
@Injectable()
export class ClerkWebhookHandlers implements OnModuleInit {
  private readonly logger = new Logger('ClerkWebhooks');
  private readonly handlers: RegisteredClerkHandler[] = [];
  private readonly oneStatementForms = new WeakMap<RegisteredClerkHandler, ClerkOneStatementHandler>();
  private readonly plans = new Map<string, ClerkEventPlan>();
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
    this.add(types, handler as unknown as ClerkWebhookHandlerFn, options, name);
  }

  /**
   * For the module itself: a built-in in-transaction handler with its one-statement form, used
   * whenever no other in-transaction handler (an app's, or `'*'`) is registered for the event type.
   */
  registerBuiltIn(types: ClerkEventSelector[], handler: ClerkWebhookHandlerFn, oneStatement: ClerkOneStatementHandler | undefined, name: string): void {
    const entry = this.add(types, handler, { priority: BUILT_IN_PRIORITY }, name);
    if (oneStatement) this.oneStatementForms.set(entry, oneStatement);
  }

  /** Handlers for `type`, in run order. */
  for(type: string): RegisteredClerkHandler[] {
    return this.handlers.filter((entry) => entry.types.includes('*') || entry.types.includes(type));
  }

  /** How the processor runs an event of `type` (kept until the next registration). */
  plan(type: string): ClerkEventPlan {
    let plan = this.plans.get(type);
    if (!plan) {
      const handlers = this.for(type);
      const inTransaction = handlers.filter((entry) => !entry.afterCommit);
      const oneStatement = inTransaction.length === 1 ? this.oneStatementForms.get(inTransaction[0]) : undefined;
      plan = { inTransaction, afterCommit: handlers.filter((entry) => entry.afterCommit), oneStatement };
      this.plans.set(type, plan);
    }
    return plan;
  }

  private add(types: ClerkEventSelector | ClerkEventSelector[], handler: ClerkWebhookHandlerFn, options: ClerkWebhookHandlerOptions, name: string): RegisteredClerkHandler {
    const entry: RegisteredClerkHandler = {
      types: Array.isArray(types) ? types : [types],
      handler,
      afterCommit: options.afterCommit ?? false,
      priority: options.priority ?? 0,
      name,
      sequence: this.sequence++,
    };
    this.handlers.push(entry);
    this.handlers.sort((a, b) => a.priority - b.priority || a.sequence - b.sequence);
    this.plans.clear();
    this.logger.verbose(`handler ${name} registered`);
    return entry;
  }
}
