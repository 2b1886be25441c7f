import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import type { SignedWebhook } from '../../lib/testing/index.js';

/** POSTs a signed delivery exactly as Svix does (raw body, svix-* headers). */
export function deliver(app: INestApplication, delivery: SignedWebhook, path = '/webhooks/clerk') {
  return request(app.getHttpServer()).post(path).set(delivery.headers).send(delivery.body);
}
