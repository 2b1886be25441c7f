import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** One GraphQL request over HTTP (POST /graphql), with an optional bearer token. */
export async function graphqlHttp(app: INestApplication, query: string, token?: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
  const call = request(app.getHttpServer()).post('/graphql').send({ query, variables });
  const response = await (token ? call.set('Authorization', `Bearer ${token}`) : call);
  return response.body as ExecutionResult;
}

/** A graphql-ws client that never retries; `closed` is the close event once the server closed the socket. */
export function graphqlWsClient(url: string, connectionParams?: Record<string, unknown>): { client: Client; closed: () => { code: number; reason: string } | undefined } {
  let closed: { code: number; reason: string } | undefined;
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    on: { closed: (event) => (closed = event as { code: number; reason: string }) },
  });
  return { client, closed: () => closed };
}

/** Every result of one operation until it completes (a refused connection rejects with its close event). */
export async function results(client: Client, query: string): Promise<ExecutionResult[]> {
  const collected: ExecutionResult[] = [];
  for await (const result of client.iterate({ query })) collected.push(result as ExecutionResult);
  return collected;
}
