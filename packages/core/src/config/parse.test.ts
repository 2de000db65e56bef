import { describe, expect, it } from 'vitest';
import { closest, envName, flagName } from './names.js';
import { ConfigError, option } from './options.js';
import { defineConfig, parseConfig } from './parse.js';

const SCHEMA = defineConfig({
  command: 'test-process',
  summary: 'A process for the tests.',
  options: {
    nodeId: option.integer('the id', { min: 0, max: 100 }).required(),
    listen: option.hostPort('where to listen').default('127.0.0.1:9000'),
    peers: option.hostPortList('the peers').default([]),
    verbose: option.boolean('say more').default(false),
    logLevel: option.logLevel().default('info'),
    metricsListen: option.hostPort('metrics').optional('off'),
  },
  rules: [{ holds: (config) => config.nodeId !== 13, message: 'node 13 is unlucky' }],
});

function files(contents: Record<string, unknown>): (path: string) => string {
  return (path) => {
    const content = contents[path];
    if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    return typeof content === 'string' ? content : JSON.stringify(content);
  };
}

const parse = (argv: string[], env: Record<string, string> = {}, contents: Record<string, unknown> = {}) =>
  parseConfig(SCHEMA, { argv, env, readFile: files(contents) });

describe('config names', () => {
  it('derives the flag and the environment variable from the key', () => {
    expect(flagName('snapshotIntervalEntries')).toBe('snapshot-interval-entries');
    expect(envName('snapshotIntervalEntries')).toBe('TRIBUTARY_SNAPSHOT_INTERVAL_ENTRIES');
  });

  it('suggests only plausible typos', () => {
    expect(closest('node-idd', ['node-id', 'listen'])).toBe('node-id');
    expect(closest('xyz', ['node-id', 'listen'])).toBeUndefined();
  });
});

describe('parseConfig', () => {
  it('applies defaults and leaves unset optional keys out', () => {
    const config = parse(['--node-id', '7']);
    expect(config).toEqual({
      nodeId: 7,
      listen: '127.0.0.1:9000',
      peers: [],
      verbose: false,
      logLevel: 'info',
    });
    expect(config !== null && 'metricsListen' in config).toBe(false);
  });

  it('takes flags over env over file over defaults, key by key', () => {
    const config = parse(
      ['--node-id=1', '--config', 'c.json'],
      { TRIBUTARY_NODE_ID: '2', TRIBUTARY_LISTEN: 'env:2' },
      { 'c.json': { nodeId: 3, listen: 'file:3', 'log-level': 'debug', peers: ['p:1', 'p:2'] } },
    );
    expect(config).toMatchObject({ nodeId: 1, listen: 'env:2', logLevel: 'debug', peers: ['p:1', 'p:2'] });
  });

  it('finds the config file through TRIBUTARY_CONFIG too', () => {
    const config = parse([], { TRIBUTARY_CONFIG: 'c.json' }, { 'c.json': { nodeId: 4, verbose: true } });
    expect(config).toMatchObject({ nodeId: 4, verbose: true });
  });

  it('adds the items of a repeated list flag, and keeps the last of any other', () => {
    expect(parse(['--node-id', '1', '--peers', 'a:1', '--peers=b:2,c:3', '--node-id', '2'])).toMatchObject({
      nodeId: 2,
      peers: ['a:1', 'b:2', 'c:3'],
    });
  });

  it('reads booleans, lists and optional keys from every source', () => {
    expect(parse(['--node-id', '1', '--verbose', '--peers', 'a:1, b:2'])).toMatchObject({
      verbose: true,
      peers: ['a:1', 'b:2'],
    });
    expect(
      parse(['--node-id', '1'], { TRIBUTARY_VERBOSE: 'true', TRIBUTARY_METRICS_LISTEN: '0.0.0.0:9100' }),
    ).toMatchObject({
      verbose: true,
      metricsListen: '0.0.0.0:9100',
    });
  });

  it('returns null for --help and -h', () => {
    expect(parse(['--help'])).toBeNull();
    expect(parse(['--bogus', '-h'])).toBeNull();
  });

  it('ignores variables without the prefix, empty ones and the tooling ones', () => {
    const env = { HOME: '/root', TRIBUTARY_LISTEN: '', TRIBUTARY_BROKER_BIN: '/x.js' };
    expect(parse(['--node-id', '1'], env)).toMatchObject({ listen: '127.0.0.1:9000' });
  });

  it.each([
    [['--node-idd', '1'], 'unknown flag --node-idd (did you mean --node-id?)'],
    [['--frobnicate'], 'unknown flag --frobnicate'],
    [['--node-id', '1', 'extra'], 'unexpected argument "extra" (every option is a --flag)'],
    [['--node-id'], '--node-id needs a value'],
    [['--node-id', '--verbose'], '--node-id needs a value'],
    [['--node-id', 'x'], '--node-id: must be a non-negative integer, got "x"'],
    [['--node-id', '101'], '--node-id: must be an integer in [0, 100], got "101"'],
    [['--node-id', '1', '--listen', 'nohost'], '--listen: must be HOST:PORT, got "nohost"'],
    [
      ['--node-id', '1', '--listen', 'h:70000'],
      '--listen: must be HOST:PORT with a port in [0, 65535], got "h:70000"',
    ],
    [['--node-id', '1', '--peers', 'a:1,bad'], '--peers: must be HOST:PORT, got "bad"'],
    [
      ['--node-id', '1', '--log-level', 'loud'],
      '--log-level: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    [['--node-id', '1', '--verbose=maybe'], '--verbose: must be true or false, got "maybe"'],
    [[], '--node-id is required (or TRIBUTARY_NODE_ID, or "nodeId" in the config file)'],
    [['--node-id', '13'], 'node 13 is unlucky'],
  ])('refuses flags %j: %s', (argv, message) => {
    expect(() => parse(argv)).toThrow(new ConfigError(message));
  });

  it.each([
    [{ TRIBUTARY_NODE_ID: 'x' }, 'TRIBUTARY_NODE_ID: must be a non-negative integer, got "x"'],
    [
      { TRIBUTARY_NODE_IDD: '1' },
      'unknown environment variable TRIBUTARY_NODE_IDD (did you mean TRIBUTARY_NODE_ID?)',
    ],
    [{ TRIBUTARY_VOTERS: '1@a:1' }, 'unknown environment variable TRIBUTARY_VOTERS'],
    [{ TRIBUTARY_VERBOSE: 'yes' }, 'TRIBUTARY_VERBOSE: must be true or false, got "yes"'],
  ])('refuses environment %j: %s', (env, message) => {
    expect(() => parse([], { TRIBUTARY_NODE_ID: '1', ...env })).toThrow(new ConfigError(message));
  });

  it.each([
    [{ nodeId: 1, listn: 'h:1' }, 'config file c.json: unknown key "listn" (did you mean "listen"?)'],
    [{ nodeID: 1 }, 'config file c.json: unknown key "nodeID" (did you mean "nodeId"?)'],
    [{ node_id: 1 }, 'config file c.json: unknown key "node_id" (did you mean "nodeId"?)'],
    [
      { nodeId: 1, 'node-id': 2 },
      'config file c.json: key "node-id" is given twice (camelCase and kebab-case)',
    ],
    [{ nodeId: 1.5 }, 'config file c.json, key "nodeId": must be a non-negative integer, got 1.5'],
    [{ nodeId: 1, verbose: 'on' }, 'config file c.json, key "verbose": must be true or false, got "on"'],
    [{ nodeId: 1, peers: [1] }, 'config file c.json, key "peers": must be text, got 1'],
    [[1], 'config file c.json: must be a JSON object'],
    ['{"nodeId": ', /^config file c\.json: .*JSON/],
  ])('refuses config file %j: %s', (content, message) => {
    const run = () => parse(['--config', 'c.json'], {}, { 'c.json': content });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message instanceof RegExp ? message : new ConfigError(message));
  });

  it('names a config file it cannot read', () => {
    expect(() => parse(['--config', 'missing.json'])).toThrow(/^config file missing\.json: ENOENT/);
  });
});

describe('option schemas', () => {
  it('are built on first use, once, and survive required/default/optional', () => {
    for (const built of [
      option.integer('n', { min: 0, max: 5 }).required(),
      option.integer('n', { min: 0, max: 5 }).default(1, 'one'),
      option.hostPortList('addresses').optional('none'),
      option.logLevel().default('info'),
    ]) {
      // A getter until read: nothing of zod is built for an option no source gives.
      expect(typeof Object.getOwnPropertyDescriptor(built, 'schema')?.get).toBe('function');
      expect(built.schema).toBe(built.schema);
    }
    const n = option.integer('n', { min: 0, max: 5 }).default(1);
    expect(n).toMatchObject({ kind: 'integer', presence: 'default', default: 1, placeholder: 'N', doc: 'n' });
    expect(n.schema.safeParse('6').success).toBe(false);
    expect(n.schema.safeParse('5')).toEqual({ success: true, data: 5 });
  });
});
