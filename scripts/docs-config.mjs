// `npm run docs:config`: regenerates the configuration tables of docs/operations.md from the controller and
// broker schemas (packages/cli/src/config-docs.ts; run after the packages are built).
import { readFileSync, writeFileSync } from 'node:fs';
import { OPERATIONS_DOC_PATH, renderOperationsDoc } from '../packages/cli/dist/config-docs.js';

const before = readFileSync(OPERATIONS_DOC_PATH, 'utf8');
const after = renderOperationsDoc(before);
if (after === before) {
  process.stdout.write(`${OPERATIONS_DOC_PATH} is up to date\n`);
} else {
  writeFileSync(OPERATIONS_DOC_PATH, after);
  process.stdout.write(`${OPERATIONS_DOC_PATH} updated\n`);
}
