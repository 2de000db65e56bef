import { LIMITS } from '@tributary/core';

/**
 * Bounds of the Kafka listener (DESIGN §9), defined once. The request size bound itself is the codec's
 * (KAFKA_LIMITS.requestBytesMax, Kafka's socket.request.max.bytes).
 */
export const KAFKA_LISTENER_LIMITS = {
  /**
   * Request bytes read but not yet answered on one connection, past which the listener stops reading
   * from it (back-pressure: TCP's window then slows the client). One request is always let in, so a
   * single request up to the frame bound still gets through.
   */
  connectionInFlightBytesMax: 64 * 1024 * 1024,
  /** Requests read but not yet answered on one connection (librdkafka pipelines up to 1,000,000). */
  connectionInFlightRequestsMax: 128,
  /**
   * Response bytes queued in the socket (a client that does not read) past which reading pauses until
   * the socket drains.
   */
  connectionWriteBufferBytesMax: 32 * 1024 * 1024,
  /** Open connections per listener; more are refused at accept (Kafka's max.connections). */
  connectionsMax: 10_000,
  /** Connections given this long to finish their in-flight requests when the listener closes. */
  closeGraceMs: 2_000,
  /**
   * A TLS client must finish its handshake within this (Node's default is 120 s): connections still in the
   * handshake are not yet counted against connectionsMax, so their number is bounded by time instead.
   */
  tlsHandshakeTimeoutMs: 10_000,
} as const;

/**
 * Kafka's connections.max.idle.ms: a connection with nothing in flight that sends no byte for this long is
 * closed (a client that sent half a frame and stopped, or one that went away without a FIN). Clients
 * reconnect on demand.
 */
export const KAFKA_CONNECTION_IDLE_MS_DEFAULT = 600_000;

export const KAFKA_LISTENER_DEFAULTS = {
  /** `tributary dev`'s Kafka port (DESIGN §9). */
  devPort: 9094,
} as const;

/** The admin APIs (handlers/admin-*.ts), which forward writes to the active controller. */
export const KAFKA_ADMIN_LIMITS = {
  /** Topics or config resources in one admin request; a longer request is refused whole. */
  resourcesPerRequestMax: LIMITS.topicsPerRequestMax,
  /**
   * Forwarded calls one admin request keeps in flight: a request naming many topics must not take the
   * whole forwarder (REQUEST_LIMITS.adminForwardInFlightMax per broker) from everyone else.
   */
  forwardsPerRequestMax: 16,
} as const;

export const KAFKA_ADMIN_DEFAULTS = {
  /**
   * Deadline of a forwarded call when the API has no timeout (AlterConfigs, IncrementalAlterConfigs) or
   * the client sent none (<= 0): long enough for the controller to commit across an election.
   */
  forwardDeadlineMs: 10_000,
} as const;
