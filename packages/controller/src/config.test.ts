import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseControllerArgs, parseVoters } from './config.js';

const base = ['--node-id', '2', '--listen', '127.0.0.1:9094', '--data-dir', '/tmp/c2'];
const voters = ['--voters', '1@127.0.0.1:9093,2@127.0.0.1:9094,3@127.0.0.1:9095'];

describe('controller flags', () => {
  it('parses the required flags and applies defaults', () => {
    const config = parseControllerArgs([...base, ...voters]);
    expect(config).toMatchObject({
      nodeId: 2,
      listen: '127.0.0.1:9094',
      dataDir: '/tmp/c2',
      tickMs: 10,
      electionTicks: 25,
      heartbeatTicks: 5,
      sessionTimeoutMs: 3000,
      heartbeatIntervalMs: 500,
      suspectAfterMs: 1_000,
      snapshotIntervalEntries: 10_000,
      logLevel: 'info',
    });
    expect(config?.voters).toEqual([
      { id: 1, address: '127.0.0.1:9093' },
      { id: 2, address: '127.0.0.1:9094' },
      { id: 3, address: '127.0.0.1:9095' },
    ]);
  });

  it('returns null for --help', () => {
    expect(parseControllerArgs(['--help'])).toBeNull();
  });

  it.each([
    [['--bogus']],
    [[...base]],
    [[...base, ...voters, '--tick-ms', 'fast']],
    [[...base, ...voters, '--log-level', 'loud']],
    [[...base, '--voters', '1@127.0.0.1:9093']],
    [[...base, '--voters', '2@host:1,2@host:2']],
    [[...base, '--voters', '2@nohostport']],
    [[...base, ...voters, '--heartbeat-ticks', '25']],
    [[...base, ...voters, 'positional']],
  ])('refuses %j with a ConfigError', (argv) => {
    expect(() => parseControllerArgs(argv)).toThrow(ConfigError);
  });

  it('reads a config file (camelCase or kebab-case keys); flags win', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trib-config-'));
    try {
      const file = join(dir, 'controller.json');
      await writeFile(
        file,
        JSON.stringify({
          nodeId: 2,
          listen: '127.0.0.1:1',
          'data-dir': '/tmp/x',
          voters: ['1@127.0.0.1:9093', '2@127.0.0.1:9094'],
          sessionTimeoutMs: 5000,
        }),
      );
      const config = parseControllerArgs(['--config', file, '--listen', '127.0.0.1:9094']);
      expect(config).toMatchObject({
        nodeId: 2,
        listen: '127.0.0.1:9094',
        dataDir: '/tmp/x',
        sessionTimeoutMs: 5000,
      });
      await writeFile(file, JSON.stringify({ nodeID: 2 }));
      expect(() => parseControllerArgs(['--config', file])).toThrow(/unknown key/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('parses voters', () => {
    expect(parseVoters('3@[::1]:9095, 1@a:1')).toEqual([
      { id: 1, address: 'a:1' },
      { id: 3, address: '[::1]:9095' },
    ]);
  });
});
