/**
 * The packages install and work without the workspace (issue 17 item 2): scripts/check-packages.mjs packs every
 * publishable package, installs the tarballs with npm into an empty directory outside the repository, builds
 * examples/order-service there with its own TypeScript, starts `tributary dev` from the installed
 * @tributary/cli, and runs the example against it (create topic, produce, bill with a consumer group, lag 0).
 * Here, in the unit lane of `npm test`, because that lane finishes minutes before the integration lane.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'scripts',
  'check-packages.mjs',
);
/** npm install of the tarballs and their ~130 dependencies dominates; a loaded 2-core machine took 2.5 minutes. */
const CHECK_TIMEOUT_MS = 420_000;

describe('the published packages', () => {
  it(
    'install from their tarballs with no workspace and run the order-service example',
    () => {
      const result = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', timeout: CHECK_TIMEOUT_MS });
      const report = `${result.stdout}\n${result.stderr}`;
      expect(report).toContain('the example ran');
      expect(result.status, report).toBe(0);
    },
    CHECK_TIMEOUT_MS + 10_000,
  );
});
