export {
  GRPC_METHOD_ACCESS,
  type GuardContext,
  type GuardOutcome,
  type MethodAccess,
} from './grpc-access.js';
export { type GuardServerOptions, guardServer } from './guard.js';
