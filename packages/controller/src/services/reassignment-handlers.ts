/** PLACEHOLDER: being written (issue 7); replaced before commit. */

import { TributaryError } from '@tributary/core';
import { type ControllerAdminHandlers, handleUnary } from '@tributary/protocol';
import type { ControllerAdminOptions } from './controller-admin.js';

type HandleOptions = { readonly onUnexpectedError: (error: unknown) => void };

export function createReassignmentHandlers(
  _options: ControllerAdminOptions,
  handleOptions: HandleOptions,
): Pick<
  ControllerAdminHandlers,
  'AlterPartitionReassignments' | 'ListPartitionReassignments' | 'DecommissionBroker'
> {
  return {
    AlterPartitionReassignments: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'AlterPartitionReassignments: not built yet');
    }, handleOptions),
    ListPartitionReassignments: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'ListPartitionReassignments: not built yet');
    }, handleOptions),
    DecommissionBroker: handleUnary(async () => {
      throw new TributaryError('INVALID_REQUEST', 'DecommissionBroker: not built yet');
    }, handleOptions),
  };
}
