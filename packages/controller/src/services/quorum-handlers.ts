/** PLACEHOLDER: being written (issue 7); replaced before commit. */

import { TributaryError } from '@tributary/core';
import { type ControllerAdminHandlers, handleUnary } from '@tributary/protocol';
import type { ControllerAdminOptions } from './controller-admin.js';

type HandleOptions = { readonly onUnexpectedError: (error: unknown) => void };

export function createQuorumHandlers(
  _options: ControllerAdminOptions,
  handleOptions: HandleOptions,
): Pick<ControllerAdminHandlers, 'AddVoter' | 'RemoveVoter'> {
  return {
    AddVoter: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'AddVoter: not built yet');
    }, handleOptions),
    RemoveVoter: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'RemoveVoter: not built yet');
    }, handleOptions),
  };
}
