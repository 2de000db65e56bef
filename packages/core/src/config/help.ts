/**
 * Documentation generated from a configuration schema: the `--help` text of a bin and the markdown table of
 * docs/operations.md, so neither can fall behind the options the process really reads.
 */
import { envName, flagName } from './names.js';
import type { Option, OptionsSpec } from './options.js';
import type { ConfigSchema } from './parse.js';

interface Row {
  readonly flag: string;
  readonly env: string;
  readonly default: string;
  readonly doc: string;
}

function defaultText(option: Option<unknown>): string {
  switch (option.presence) {
    case 'required':
      return 'required';
    case 'optional':
      return option.defaultDoc;
    case 'default':
      if (option.defaultDoc !== undefined) return option.defaultDoc;
      if (typeof option.default === 'boolean') return option.default ? 'on' : 'off';
      if (typeof option.default === 'string') return `\`${option.default}\``;
      return String(option.default);
  }
}

function rows(options: OptionsSpec): Row[] {
  const out: Row[] = Object.entries(options).map(([key, option]) => ({
    flag: `--${flagName(key)}${option.placeholder === '' ? '' : ` ${option.placeholder}`}`,
    env: envName(key),
    default: defaultText(option),
    doc: option.doc,
  }));
  out.push({
    flag: '--config FILE',
    env: 'TRIBUTARY_CONFIG',
    default: 'none',
    doc: 'a JSON file with any of these keys (camelCase or kebab-case)',
  });
  return out;
}

const plain = (text: string): string => text.replaceAll('`', '');

/** The --help text: usage, the precedence of the sources, and every option with its variable and default. */
export function helpText<S extends OptionsSpec>(schema: ConfigSchema<S>): string {
  const required = Object.entries(schema.options)
    .filter(([, option]) => option.presence === 'required')
    .map(([key, option]) => `--${flagName(key)} ${option.placeholder}`);
  const lines = [
    `usage: ${[schema.command, ...required].join(' ')} [options]`,
    '',
    schema.summary,
    'Every option can also be set by its environment variable or as a key of the --config file;',
    'flags win over the environment, which wins over the file.',
    '',
    'options:',
  ];
  for (const row of rows(schema.options)) {
    const presence = row.default === 'required' ? 'required' : `default: ${plain(row.default)}`;
    lines.push(`  ${row.flag}  (${row.env}; ${presence})`, `      ${plain(row.doc)}`);
  }
  lines.push('  -h, --help', '      print this help and exit');
  return lines.join('\n');
}

const cell = (text: string): string => text.replaceAll('|', '\\|');

/** A markdown table with one row per option (and --config), for docs/operations.md. */
export function markdownTable<S extends OptionsSpec>(schema: ConfigSchema<S>): string {
  const lines = ['| flag | environment variable | default | meaning |', '|---|---|---|---|'];
  for (const row of rows(schema.options)) {
    lines.push(`| \`${row.flag}\` | \`${row.env}\` | ${cell(row.default)} | ${cell(row.doc)} |`);
  }
  return lines.join('\n');
}

/**
 * Replaces the text between `<!-- config:NAME:begin -->` and `<!-- config:NAME:end -->` with the given
 * content; throws when a marker pair is missing, so a renamed heading cannot silently stop the updates.
 */
export function replaceGeneratedSection(document: string, name: string, content: string): string {
  const begin = `<!-- config:${name}:begin -->`;
  const end = `<!-- config:${name}:end -->`;
  const start = document.indexOf(begin);
  const stop = document.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`missing markers ${begin} ... ${end}`);
  return `${document.slice(0, start + begin.length)}\n${content}\n${document.slice(stop)}`;
}
