import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmbeddedCluster } from '../cluster/embedded/embedded-cluster';
import { startEmbeddedApi, type EmbeddedApi } from '../cluster/embedded/test-harness';
import { createApiHandler } from './handler';

const TOKEN = 'correct-horse-battery';
let server: Server | undefined;
let embedded: EmbeddedApi | undefined;
let cluster: EmbeddedCluster;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
  await embedded?.stop();
  embedded = undefined;
});

/** The API mounted as server/app.ts mounts it: /trpc and /metrics on one HTTP server, over a real broker. */
async function start(authToken?: string): Promise<{ url: string; logs: string[] }> {
  embedded = await startEmbeddedApi();
  cluster = embedded.cluster;
  const logs: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logs.push(line) });
  const api = createApiHandler({ cluster, authToken, faultInjection: false, logger });
  server = createServer((req, res) => {
    if (req.url?.startsWith('/trpc/')) return void api.trpc(req, res);
    if (req.url === '/metrics') return void api.metrics(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, logs };
}

const query = (input: unknown) => `?input=${encodeURIComponent(JSON.stringify(input))}`;
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the console API over HTTP', () => {
  it('requires the bearer token when one is configured', async () => {
    const { url } = await start(TOKEN);
    const anonymous = await fetch(`${url}/trpc/topics.list`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.message).toContain('Authorization: Bearer');
    const wrong = await fetch(`${url}/trpc/topics.list`, {
      headers: { authorization: 'Bearer nope-nope-nope' },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${url}/trpc/topics.list`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ result: { data: [] } });
  });

  it('puts validation messages next to their field, without a stack trace', async () => {
    const { url } = await start();
    const res = await post(`${url}/trpc/topics.create`, { name: '..', partitions: 1 });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.message).toBe("name: Topic name cannot be '.' or '..'");
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', field: 'name' });
    expect(error.data.stack).toBeUndefined();
  });

  it('maps cluster errors to HTTP statuses with the cluster message and field', async () => {
    const { url } = await start();
    await post(`${url}/trpc/topics.create`, { name: 'orders', partitions: 1 });
    const again = await post(`${url}/trpc/topics.create`, { name: 'orders', partitions: 1 });
    expect(again.status).toBe(409);
    const { error } = await again.json();
    expect(error.message).toBe("Topic 'orders' already exists");
    expect(error.data).toMatchObject({ field: 'name', clusterCode: 'ALREADY_EXISTS', retriable: false });
    const read = await fetch(
      `${url}/trpc/messages.read${query({ topic: 'orders', seek: { kind: 'offset', partition: 0, offset: 900 } })}`,
    );
    expect((await read.json()).error).toMatchObject({
      message: 'Offset 900 is past the end (0) of orders-0',
      data: { field: 'offset' },
    });
  });

  it('hides unexpected failures behind a fixed sentence and logs them', async () => {
    const { url, logs } = await start();
    cluster.listTopics = async () => {
      throw new Error('EIO: /var/lib/secret/path');
    };
    const res = await fetch(`${url}/trpc/topics.list`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toContain('Internal error: see the server log');
    expect(body).not.toContain('secret');
    expect(logs.join('')).toContain('EIO: /var/lib/secret/path');
  });

  it('refuses mutations from another origin', async () => {
    const { url } = await start();
    const foreign = await post(
      `${url}/trpc/topics.create`,
      { name: 'x', partitions: 1 },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    const own = await post(`${url}/trpc/topics.create`, { name: 'x', partitions: 1 }, { origin: url });
    expect(own.status).toBe(200);
  });

  it('refuses fault injection when the server runs without it', async () => {
    const { url } = await start();
    const res = await post(`${url}/trpc/supervision.injectFault`, { kind: 'crash', path: 'broker' });
    expect(res.status).toBe(403);
  });

  it('streams subscriptions as SSE, taking the token from connectionParams', async () => {
    const { url } = await start(TOKEN);
    const params = `&connectionParams=${encodeURIComponent(JSON.stringify({ token: TOKEN }))}`;
    const controller = new AbortController();
    const res = await fetch(`${url}/trpc/cluster.events${query({})}${params}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    await cluster.createTopic({ name: 'orders', partitions: 1, configs: {} });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('broker/topics/orders/0'))
      text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/id: ?\d+\n/);
    controller.abort();
  });

  it('serves Prometheus text at /metrics behind the same token', async () => {
    const { url } = await start(TOKEN);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await res.text()).toContain('# TYPE sluice_broker_records_in_total counter');
  });
});
