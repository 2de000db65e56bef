import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ControllerProcess } from './controller-process.js';
import { freePorts } from './ports.js';
import { LineRingBuffer } from './ring-buffer.js';
import { toTributaryError } from './rpc.js';
import { makeTempDir } from './temp-dir.js';
import { WaitTimeoutError, waitFor } from './wait.js';

describe('freePorts', () => {
  it('returns distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses counts out of range', async () => {
    await expect(freePorts(0)).rejects.toThrow(RangeError);
    await expect(freePorts(1000)).rejects.toThrow(RangeError);
  });
});

describe('LineRingBuffer', () => {
  it('keeps the last lines, joining chunks split mid-line', () => {
    const buffer = new LineRingBuffer(3, 100);
    buffer.write('one\ntw');
    buffer.write('o\nthree\nfour\nfi');
    expect(buffer.tail()).toEqual(['two', 'three', 'four', 'fi']);
    expect(buffer.tail(1)).toEqual(['four', 'fi']);
    expect(buffer.dropped).toBe(1);
    expect(buffer.size).toBe(3);
  });

  it('cuts long lines and flushes a line that never ends', () => {
    const buffer = new LineRingBuffer(10, 4);
    buffer.write('abcdefgh\n');
    buffer.write('x'.repeat(9));
    expect(buffer.tail()).toEqual(['abcd…', 'xxxx…']);
  });

  it('stays bounded under many writes', () => {
    const buffer = new LineRingBuffer(50, 10);
    for (let index = 0; index < 10_000; index++) buffer.write(`line ${index}\n`);
    expect(buffer.size).toBe(50);
    expect(buffer.tail().at(-1)).toBe('line 9999');
    expect(buffer.tail()[0]).toBe('line 9950');
  });
});

describe('makeTempDir', () => {
  it('creates a directory under the temp dir and removes it', async () => {
    const dir = await makeTempDir('testkit-unit');
    expect(existsSync(dir.path)).toBe(true);
    await dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });

  it('rejects prefixes that could escape the temp dir', async () => {
    await expect(makeTempDir('../evil')).rejects.toThrow(RangeError);
  });
});

describe('waitFor', () => {
  it('returns the first defined value and gives up after its timeout', async () => {
    let calls = 0;
    await expect(
      waitFor('three calls', async () => (++calls >= 3 ? calls : undefined), {
        timeoutMs: 1_000,
        intervalMs: 1,
      }),
    ).resolves.toBe(3);
    const started = performance.now();
    await expect(waitFor('never', async () => undefined, { timeoutMs: 100, intervalMs: 10 })).rejects.toThrow(
      WaitTimeoutError,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('ControllerProcess', () => {
  it('builds the contract command line', () => {
    const node = new ControllerProcess({
      nodeId: 2,
      port: 4321,
      dataDir: '/tmp/x',
      voters: '1@127.0.0.1:1,2@127.0.0.1:4321,3@127.0.0.1:3',
      snapshotIntervalEntries: 20,
    });
    expect(node.args()).toEqual([
      '--node-id',
      '2',
      '--listen',
      '127.0.0.1:4321',
      '--data-dir',
      '/tmp/x',
      '--voters',
      '1@127.0.0.1:1,2@127.0.0.1:4321,3@127.0.0.1:3',
      '--log-level',
      'info',
      '--snapshot-interval-entries',
      '20',
    ]);
  });

  it('fails clearly when the bin is missing', () => {
    const node = new ControllerProcess({
      nodeId: 1,
      port: 1,
      dataDir: '/tmp/x',
      voters: '1@127.0.0.1:1',
      binPath: '/nonexistent/bin.js',
    });
    expect(() => node.start()).toThrow(/controller 1 .*: bin not found at \/nonexistent\/bin.js/);
  });
});

describe('toTributaryError', () => {
  it('maps a refused connection to a retriable LEADER_NOT_AVAILABLE', async () => {
    const [port] = await freePorts(1);
    const node = new ControllerProcess({ nodeId: 1, port: port ?? 1, dataDir: '/tmp/x', voters: '' });
    const error = await node.describeQuorum(500).then(
      () => undefined,
      (failure: unknown) => toTributaryError(failure, 'probe'),
    );
    await node.dispose();
    expect(error?.code).toBe('LEADER_NOT_AVAILABLE');
    expect(error?.retriable).toBe(true);
  });
});
