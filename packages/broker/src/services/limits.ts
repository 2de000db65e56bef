/** Named bounds on what one client or replica request may ask of a broker ("put a limit on everything"). */
import { WIRE_LIMITS } from '@tributary/core';

export const REQUEST_LIMITS = {
  /** Topics named by one Produce, Fetch, ListOffsets or Metadata request. */
  topicsPerRequestMax: WIRE_LIMITS.topicsPerRequestMax,
  /** Partitions across all topics of one request. */
  partitionsPerRequestMax: WIRE_LIMITS.partitionsPerRequestMax,
  /** Record bytes across all partitions of one Produce: the request-size quota. */
  produceBytesPerRequestMax: WIRE_LIMITS.produceBytesPerRequestMax,
  /**
   * Record bytes across all Produce requests admitted and not yet answered on one broker: the
   * in-flight quota (services/in-flight-bytes.ts). Beyond it Produce gets RESOURCE_EXHAUSTED (retriable).
   * A named limit rather than a config key because the config schema lives elsewhere.
   */
  produceInFlightBytesMax: 256 * 1024 * 1024,
  /** How long a Produce may wait for acknowledgements. */
  produceTimeoutMsMax: WIRE_LIMITS.produceTimeoutMsMax,
  /** How long a Fetch or ReplicaFetch may long-poll. */
  fetchMaxWaitMsMax: WIRE_LIMITS.fetchMaxWaitMsMax,
  /** Bytes a Fetch or ReplicaFetch may ask for, in total and per partition. */
  fetchBytesMax: WIRE_LIMITS.fetchBytesMax,
  /** Topics one Metadata request may auto-create. */
  autoCreateTopicsPerRequestMax: 100,
  /**
   * Longest deadline of an admin call forwarded to the active controller (services/admin-forwarding.ts),
   * whatever the caller asked: the controller answers a command once it commits, well within this.
   */
  adminForwardDeadlineMsMax: 30_000,
  /**
   * Taken off the caller's deadline when forwarding, so that the controller's answer (or its error) gets
   * back to the caller before the caller gives up and sees only its own DEADLINE_EXCEEDED.
   */
  adminForwardReplyMarginMs: 100,
  /** Forwarded admin calls in flight on one broker; beyond it RESOURCE_EXHAUSTED (retriable). */
  adminForwardInFlightMax: 256,
  /** A Produce or Fetch call's client id (`tributary-client-id` metadata), in characters. */
  clientIdLengthMax: WIRE_LIMITS.clientIdLengthMax,
} as const;
