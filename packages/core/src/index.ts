export { AssertionError, assert, assertNever } from './assert.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { mapConcurrently } from './concurrency.js';
export {
  ERROR_CODES,
  type ErrorCode,
  type ErrorCodeEntry,
  isErrorCode,
  isStaleMetadata,
  isWrongNode,
  KAFKA_NONE,
  kafkaErrorCode,
  type LeaderHint,
  needsCoordinatorLookup,
  TributaryError,
  type TributaryErrorOptions,
} from './errors.js';
export * from './ids.js';
export { LIMITS } from './limits.js';
export { type Random, SeededRandom, systemRandom } from './random.js';
export {
  type RunServiceOptions,
  runService,
  type ServiceHandle,
  type ServiceLogger,
  type ServiceMainOptions,
  type ServiceProcess,
  serviceMain,
} from './service.js';
export {
  type InstalledWallClockOffset,
  installTestWallClockOffset,
  parseWallClockOffsetMs,
  TEST_WALL_CLOCK_OFFSET_ENV,
  TEST_WALL_CLOCK_POLL_MS,
} from './test-wall-clock.js';
export { validateTopicName } from './topic-name.js';
export { WIRE_LIMITS } from './wire-limits.js';
