import { Counter, Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricsServerHandle, parseListenAddress, startMetricsServer } from './metrics-server.js';

const handles: MetricsServerHandle[] = [];

afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.close()));
});

async function start(registry: Registry, errors: unknown[] = []): Promise<string> {
  const handle = await startMetricsServer({
    listen: '127.0.0.1:0',
    registry,
    onError: (error) => errors.push(error),
  });
  handles.push(handle);
  expect(handle.port).toBeGreaterThan(0);
  return `http://127.0.0.1:${handle.port}`;
}

describe('startMetricsServer', () => {
  it('serves the registry in the Prometheus text format on /metrics', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'test_things_total', help: 'things', registers: [registry] });
    counter.inc(3);
    const base = await start(registry);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toMatch(/^test_things_total 3$/m);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const base = await start(new Registry());
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metricsx`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('answers 500 when a collector fails, and keeps serving afterwards', async () => {
    const registry = new Registry();
    let broken = true;
    new Gauge({
      name: 'test_flaky',
      help: 'fails once',
      registers: [registry],
      collect() {
        if (broken) throw new Error('collector broke');
        this.set(7);
      },
    });
    const errors: unknown[] = [];
    const base = await start(registry, errors);
    expect((await fetch(`${base}/metrics`)).status).toBe(500);
    expect(errors).toHaveLength(1);
    broken = false;
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^test_flaky 7$/m);
  });

  it('parses HOST:PORT and refuses anything else with a typed error', () => {
    expect(parseListenAddress('127.0.0.1:9100')).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress(':9100')).toEqual({ host: '0.0.0.0', port: 9100 });
    for (const bad of ['9100', 'host:', 'host:70000', 'host:x']) {
      expect(() => parseListenAddress(bad)).toThrow(/HOST:PORT/);
    }
  });
});
