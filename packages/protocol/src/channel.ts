import type { ChannelOptions } from '@grpc/grpc-js';
import { LIMITS } from '@tributary/core';

/**
 * Channel options for every Tributary client and server. Messages up to LIMITS.grpcMessageBytesMax
 * (snapshot chunks and record batches stay below it); keepalive pings find a dead peer in ~15 s
 * even on an idle connection, without tripping grpc's default ping abuse policy (which allows one
 * ping per 5 minutes unless the server raises it: `SERVER_CHANNEL_OPTIONS` does).
 */
export const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_receive_message_length': LIMITS.grpcMessageBytesMax,
  'grpc.max_send_message_length': LIMITS.grpcMessageBytesMax,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.max_pings_without_data': 0,
};

/** Server-side options: the same size limits, and clients' keepalive pings accepted. */
export const SERVER_CHANNEL_OPTIONS: ChannelOptions = {
  ...CHANNEL_OPTIONS,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
};
