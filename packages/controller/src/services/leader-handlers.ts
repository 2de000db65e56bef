/** PLACEHOLDER: being written (issue 7); replaced before commit. */

import { TributaryError } from '@tributary/core';
import { type ControllerAdminHandlers, handleUnary } from '@tributary/protocol';
import type { ControllerAdminOptions } from './controller-admin.js';

type HandleOptions = { readonly onUnexpectedError: (error: unknown) => void };

export function createLeaderHandlers(
  _options: ControllerAdminOptions,
  handleOptions: HandleOptions,
): Pick<ControllerAdminHandlers, 'ElectLeaders'> {
  return {
    ElectLeaders: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'ElectLeaders: not built yet');
    }, handleOptions),
  };
}
