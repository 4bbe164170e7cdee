// Real workerd: RPC through a traced env. Every property read on an RPC stub
// (a Durable Object stub, a service binding to a WorkerEntrypoint) can be a
// remote call, so the env wrapper must never bind or probe stub members: it
// used to `.bind` every function it passed through, and that read made the
// call fail with "DataCloneError: Could not serialize object of type DurableObject".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startWorker } from './support/workerd.js';

let collector: Collector;
let worker: Miniflare;

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  worker = await startWorker('rpc-through-env.mjs', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl }, ['nodejs_compat'], undefined, {
    name: 'rpc',
    durableObjects: { CART: 'Cart' },
    serviceBindings: { CALC: { name: 'rpc', entrypoint: 'Calculator' } },
  } as never);
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

describe('RPC through the env of an instrumented handler', () => {
  it('a Durable Object stub answers its RPC method as without tracelet', async () => {
    const res = await worker.dispatchFetch('http://shop.test/do');
    expect([res.status, await res.text()]).toEqual([200, '5']);
  });

  it('an error thrown by the RPC method reaches the caller unchanged', async () => {
    expect(await (await worker.dispatchFetch('http://shop.test/do-error')).text()).toBe('RangeError: no such item');
  });

  it('a service binding to a WorkerEntrypoint answers its RPC method', async () => {
    const res = await worker.dispatchFetch('http://shop.test/service');
    expect([res.status, await res.text()]).toEqual([200, '42']);
  });
});
