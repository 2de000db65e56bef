export {
  GRPC_METHOD_ACCESS,
  type GuardContext,
  type GuardOutcome,
  type MethodAccess,
} from './grpc-access.js';
export { type GuardServerOptions, guardServer, guardStreamMessage } from './guard.js';
export {
  DENIAL_LOG_LINES_PER_SECOND_MAX,
  type DenialLogger,
  type ProcessAccessOptions,
  processAccessControl,
} from './process-access.js';
