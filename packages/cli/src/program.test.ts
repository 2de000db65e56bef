import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE, runCli } from './program.js';
import { captureIo, jsonDecoders } from './testing/capture.js';

async function run(argv: string[], env: Record<string, string> = {}) {
  const captured = captureIo(env);
  const code = await runCli(argv, captured.io, jsonDecoders);
  return { code, out: captured.out, err: captured.err };
}

describe('argument errors', () => {
  it.each([
    [
      ['topics', 'create', 'orders', '--replication-factor', '3'],
      "required option '--partitions <n>' not specified",
    ],
    [
      ['topics', 'create', 'orders', '--partitions', 'x', '--replication-factor', '3'],
      "argument 'x' is invalid",
    ],
    [['topics', 'create', 'orders', '--partitions', '1.5', '--replication-factor', '3'], 'positive integer'],
    [['topics', 'create', 'orders', '--partitions', '0', '--replication-factor', '3'], 'positive integer'],
    [
      ['topics', 'create', 'orders', '--partitions', '3', '--replication-factor', '3', '--config', 'novalue'],
      'key=value',
    ],
    [['topics', 'add-partitions', 'orders'], "required option '--partitions <n>'"],
    [['topics', 'describe'], "missing required argument 'name'"],
    [['topics', 'list', 'extra'], 'too many arguments'],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['topics', 'list', '--colour'], "unknown option '--colour'"],
    [['--controllers', 'nohost', 'topics', 'list'], '"nohost" is not host:port'],
    [['--controllers', 'h:99999', 'topics', 'list'], '"h:99999" is not host:port'],
    [['--timeout-ms', '-5', 'topics', 'list'], "argument '-5' is invalid"],
    [['metadata', 'log', '--from', 'ten'], 'non-negative integer'],
    [['quorum', 'describe', '--watch', '--interval-ms'], 'argument missing'],
  ])('%j prints one line and exits 2', async (argv, message) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(EXIT_USAGE);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: /);
    expect(err[0]).toContain(message);
    expect(err[0]).not.toContain('\n');
  });

  it('rejects a malformed TRIB_CONTROLLERS in one line', async () => {
    const { code, err } = await run(['topics', 'list'], { TRIB_CONTROLLERS: 'a:1,bad' });
    expect(code).toBe(EXIT_USAGE);
    expect(err).toEqual(['error: TRIB_CONTROLLERS: "bad" is not host:port.']);
  });

  it('shows help on --help with exit 0', async () => {
    const { code, out } = await run(['topics', '--help']);
    expect(code).toBe(EXIT_OK);
    expect(out.join('\n')).toContain('add-partitions');
  });
});

describe('operational errors', () => {
  it('print `error: CODE: message` and exit 1 without a stack', async () => {
    const { code, err } = await run([
      '--controllers',
      '127.0.0.1:1',
      '--timeout-ms',
      '500',
      'brokers',
      'list',
    ]);
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: LEADER_NOT_AVAILABLE: /);
    expect(err[0]).not.toMatch(/\n|\s+at /);
  });

  it('validates topic names before calling the controller', async () => {
    const { code, err } = await run([
      'topics',
      'create',
      'bad name',
      '--partitions',
      '1',
      '--replication-factor',
      '1',
    ]);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^error: INVALID_TOPIC: /);
  });
});
