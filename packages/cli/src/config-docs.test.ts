import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BROKER_CONFIG } from '@tributary/broker';
import { CONTROLLER_CONFIG } from '@tributary/controller';
import { flagName } from '@tributary/core/config';
import { describe, expect, it } from 'vitest';
import { OPERATIONS_DOC_PATH, renderOperationsDoc } from './config-docs.js';

const DOC = fileURLToPath(new URL(`../../../${OPERATIONS_DOC_PATH}`, import.meta.url));

describe('docs/operations.md configuration tables', () => {
  const document = readFileSync(DOC, 'utf8');

  it('are what the schemas generate (run `npm run docs:config` after changing a schema)', () => {
    expect(renderOperationsDoc(document) === document, 'docs/operations.md is out of date').toBe(true);
  });

  it('name every key of both processes', () => {
    for (const key of [...Object.keys(CONTROLLER_CONFIG.options), ...Object.keys(BROKER_CONFIG.options)]) {
      expect(document).toContain(`\`--${flagName(key)}`);
    }
  });

  it('would notice a stale table', () => {
    const stale = document.replace('`--tick-ms N`', '`--tick-ms MS`');
    expect(stale).not.toBe(document);
    expect(renderOperationsDoc(stale)).toBe(document);
  });
});
