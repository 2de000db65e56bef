/**
 * The generated parts of docs/operations.md: the flag tables of the controller and the broker, made from
 * their configuration schemas. `npm run docs:config` rewrites them; config-docs.test.ts fails when the
 * committed document differs from what the schemas say.
 */
import { BROKER_CONFIG } from '@tributary/broker';
import { CONTROLLER_CONFIG } from '@tributary/controller';
import { markdownTable, replaceGeneratedSection } from '@tributary/core/config';

/** docs/operations.md, from the repository root. */
export const OPERATIONS_DOC_PATH = 'docs/operations.md';

/** The document with every `<!-- config:NAME:begin/end -->` section regenerated. */
export function renderOperationsDoc(document: string): string {
  const sections: readonly (readonly [string, string])[] = [
    ['controller', markdownTable(CONTROLLER_CONFIG)],
    ['broker', markdownTable(BROKER_CONFIG)],
  ];
  return sections.reduce((text, [name, table]) => replaceGeneratedSection(text, name, table), document);
}
