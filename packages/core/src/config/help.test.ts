import { describe, expect, it } from 'vitest';
import { helpText, markdownTable, replaceGeneratedSection } from './help.js';
import { option } from './options.js';
import { defineConfig } from './parse.js';

const SCHEMA = defineConfig({
  command: 'test-process',
  summary: 'A process for the tests.',
  options: {
    nodeId: option.integer('the id', { min: 0, max: 100 }).required(),
    retentionMs: option
      .integer('keep `records` this long', { min: 1, max: 10 }, 'MS')
      .default(5, '5 (a while)'),
    verbose: option.boolean('say more | less').default(false),
    logLevel: option.logLevel().default('info'),
    metricsListen: option.hostPort('metrics').optional('off'),
  },
});

describe('helpText', () => {
  const help = helpText(SCHEMA);

  it('starts with the usage line naming the required flags', () => {
    expect(help.split('\n')[0]).toBe('usage: test-process --node-id N [options]');
  });

  it('lists every key with its flag, variable and default, and the generic flags', () => {
    for (const line of [
      '  --node-id N  (TRIBUTARY_NODE_ID; required)',
      '  --retention-ms MS  (TRIBUTARY_RETENTION_MS; default: 5 (a while))',
      '      keep records this long',
      '  --verbose  (TRIBUTARY_VERBOSE; default: off)',
      '  --log-level LEVEL  (TRIBUTARY_LOG_LEVEL; default: info)',
      '  --metrics-listen HOST:PORT  (TRIBUTARY_METRICS_LISTEN; default: off)',
      '  --config FILE  (TRIBUTARY_CONFIG; default: none)',
      '  -h, --help',
    ]) {
      expect(help.split('\n')).toContain(line);
    }
  });
});

describe('markdownTable', () => {
  it('has a header and one row per key plus --config, with pipes escaped', () => {
    const lines = markdownTable(SCHEMA).split('\n');
    expect(lines).toHaveLength(2 + 5 + 1);
    expect(lines[2]).toBe('| `--node-id N` | `TRIBUTARY_NODE_ID` | required | the id |');
    expect(lines).toContain('| `--verbose` | `TRIBUTARY_VERBOSE` | off | say more \\| less |');
    expect(lines).toContain(
      '| `--log-level LEVEL` | `TRIBUTARY_LOG_LEVEL` | `info` | `fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent` |',
    );
  });
});

describe('replaceGeneratedSection', () => {
  const doc = 'intro\n<!-- config:x:begin -->\nold\n<!-- config:x:end -->\nafter\n';

  it('replaces only the text between the markers', () => {
    expect(replaceGeneratedSection(doc, 'x', 'new')).toBe(
      'intro\n<!-- config:x:begin -->\nnew\n<!-- config:x:end -->\nafter\n',
    );
  });

  it('is stable: replacing twice gives the same document', () => {
    const once = replaceGeneratedSection(doc, 'x', 'new');
    expect(replaceGeneratedSection(once, 'x', 'new')).toBe(once);
  });

  it('refuses a document without the markers', () => {
    expect(() => replaceGeneratedSection(doc, 'y', 'new')).toThrow(/missing markers/);
  });
});
