export * from './access/index.js';
export * from './auth/index.js';
export { CHANNEL_OPTIONS, SERVER_CHANNEL_OPTIONS } from './channel.js';
export { CLIENT_ID_METADATA_KEY } from './client-id.js';
export {
  addAuthService,
  addBrokerLifecycleService,
  addBrokerService,
  addControllerAdminService,
  addGroupCoordinatorService,
  addMetadataStreamService,
  addRaftService,
  addReplicationService,
  addTransactionCoordinatorService,
  addTransactionMarkersService,
  type CallAuthentication,
  type ClientOptions,
  createAuthClient,
  createBrokerClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  createGroupCoordinatorClient,
  createMetadataStreamClient,
  createRaftClient,
  createReplicationClient,
  createTransactionCoordinatorClient,
  createTransactionMarkersClient,
} from './clients.js';
export {
  type ConnectionCallOptions,
  ControllerConnection,
  type ControllerConnectionOptions,
} from './controller-connection.js';
export {
  asTributaryError,
  ERROR_CODE_TRAILER,
  fromServiceError,
  LEADER_ADDRESS_TRAILER,
  LEADER_ID_TRAILER,
  type ServiceErrorLike,
  type TributaryServiceError,
  toServiceError,
} from './errors.js';
export * from './generated/index.js';
export {
  addStandardServices,
  HEALTH_REFRESH_INTERVAL_MS,
  HEALTH_SERVICE_NAME,
  type StandardServices,
  type StandardServicesOptions,
} from './health.js';
export { checkHealth, type HealthStatus, listReflectedServices } from './health-client.js';
export {
  createMetricsRegistry,
  createRpcDurationRecorder,
  METRICS_PATH,
  METRICS_REQUEST_TIMEOUT_MS,
  type MetricsServerHandle,
  type MetricsServerOptions,
  parseListenAddress,
  RPC_DURATION_BUCKETS_SECONDS,
  startMetricsServer,
} from './metrics-server.js';
export { LOADER_OPTIONS, loadTributaryProtos, PROTO_FILES, PROTO_ROOT, type TributaryV1 } from './protos.js';
export {
  fromStreamAnswerError,
  type ServeRequestStreamOptions,
  type StreamAnswerError,
  serveRequestStream,
  streamAnswerError,
} from './request-stream.js';
export {
  type BackoffPolicy,
  backoffDelayMs,
  DEFAULT_BACKOFF,
  nextRetryStep,
  type RetryState,
  type RetryStep,
} from './retry.js';
export {
  instrumentServer,
  REQUEST_ID_HEADER,
  REQUEST_ID_LENGTH_MAX,
  type RpcCallEnd,
  type RpcLogger,
  type RpcObserverOptions,
  requestIdOf,
} from './rpc-observer.js';
export { bindServer, createServer, shutdownServer } from './server.js';
export * from './tls/index.js';
export {
  failStream,
  gateUnaryService,
  type HandleOptions,
  handleServerStream,
  handleUnary,
  type UnaryMethodName,
  type UnaryOptions,
  type UnaryRequest,
  type UnaryResponse,
  unary,
} from './unary.js';
export {
  optionalId,
  requireCountAtMost,
  requireIntInRange,
  requireMessage,
  requireNonEmpty,
  requireSafeUint,
} from './validate.js';
