export { type BootstrapUserCredentials, bootstrapCredentials, loadBootstrapUser } from './bootstrap-user.js';
export {
  CommandContextFactory,
  type CommandContextOptions,
} from './commands.js';
export {
  CONTROLLER_CONFIG,
  CONTROLLER_DEFAULTS,
  ConfigError,
  type ControllerConfig,
  LOG_LEVELS,
  type LogLevel,
  parseControllerArgs,
  parseVoters,
  USAGE,
  type VoterAddress,
} from './config.js';
export {
  type ControllerHandle,
  type ControllerOptions,
  defaultClusterId,
  startController,
} from './controller-node.js';
export { decodeEntryBatch, encodeEntryBatch } from './entry-batch.js';
