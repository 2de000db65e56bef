/**
 * The controller's gRPC fuzz suites use the shared harness of @tributary/protocol/testing/fuzz (the broker's
 * suites use the same one).
 */
export {
  assertProperty,
  expectCleanOutcome,
  FUZZ_CALL_DEADLINE_MS,
  isDeserializeError,
  RawClient,
  rawRequestBodies,
  serializeRequest,
} from '@tributary/protocol/testing/fuzz';
