// `node --test --import ./node-test-globals.mjs`: the describe/it/beforeAll/afterAll globals Jest and Vitest provide.
import { after, before, describe, it } from 'node:test';
Object.assign(globalThis, { describe, it, beforeAll: before, afterAll: after });
