/**
 * One controller's ControllerAdmin and BrokerLifecycle clients on one address, built on
 * @tributary/protocol (typed clients, deadline-carrying unary calls, status-trailer error mapping). The
 * harness channels reconnect fast because it kills and restarts controllers on purpose.
 */
import type * as grpc from '@grpc/grpc-js';
import type { TributaryError } from '@tributary/core';
import {
  asTributaryError,
  type BrokerInfo__Output,
  type BrokerLifecycleClient,
  type ControllerAdminClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  type DescribeQuorumResponse__Output,
  type PartitionInfo__Output,
  type CreateTopicRequest as ProtocolCreateTopicRequest,
  type QuorumVoter__Output,
  type TopicInfo__Output,
  type UnaryMethodName,
  type UnaryRequest,
  type UnaryResponse,
  unary,
} from '@tributary/protocol';

export type TopicInfo = TopicInfo__Output;
export type PartitionInfo = PartitionInfo__Output;
export type BrokerInfo = BrokerInfo__Output;
export type QuorumVoter = QuorumVoter__Output;
export type DescribeQuorumResponse = DescribeQuorumResponse__Output;
export type CreateTopicRequest = ProtocolCreateTopicRequest;

export type AdminMethod = UnaryMethodName<ControllerAdminClient>;
export type LifecycleMethod = UnaryMethodName<BrokerLifecycleClient>;
export type AdminRequest<M extends AdminMethod> = UnaryRequest<ControllerAdminClient, M>;
export type AdminResponse<M extends AdminMethod> = UnaryResponse<ControllerAdminClient, M>;
export type LifecycleRequest<M extends LifecycleMethod> = UnaryRequest<BrokerLifecycleClient, M>;
export type LifecycleResponse<M extends LifecycleMethod> = UnaryResponse<BrokerLifecycleClient, M>;

/**
 * Short reconnect backoff: a restarted controller should be reachable within ~100 ms, not after
 * grpc's default backoff of up to 2 minutes.
 */
export const HARNESS_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 20,
  'grpc.min_reconnect_backoff_ms': 20,
  'grpc.max_reconnect_backoff_ms': 250,
  'grpc.enable_retries': 0,
};

/** A failed call as a TributaryError naming the call and the node. */
export function toTributaryError(error: unknown, where: string): TributaryError {
  const mapped = asTributaryError(error);
  if (!mapped.message.startsWith(where)) {
    Object.defineProperty(mapped, 'message', { value: `${where}: ${mapped.message}` });
  }
  return mapped;
}

export class NodeConnection {
  private readonly adminClient: ControllerAdminClient;
  private readonly lifecycleClient: BrokerLifecycleClient;

  /** `credentials`: TLS towards a secure cluster (the harness's client certificate); default plaintext. */
  constructor(
    readonly address: string,
    credentials?: grpc.ChannelCredentials,
  ) {
    const options = {
      channelOptions: HARNESS_CHANNEL_OPTIONS,
      ...(credentials === undefined ? {} : { credentials }),
    };
    this.adminClient = createControllerAdminClient(address, options);
    this.lifecycleClient = createBrokerLifecycleClient(address, options);
  }

  async admin<M extends AdminMethod>(
    method: M,
    request: AdminRequest<M>,
    deadlineMs: number,
  ): Promise<AdminResponse<M>> {
    try {
      return await unary(this.adminClient, method, request, { deadlineMs });
    } catch (error) {
      throw toTributaryError(error, `${method} to ${this.address}`);
    }
  }

  async lifecycle<M extends LifecycleMethod>(
    method: M,
    request: LifecycleRequest<M>,
    deadlineMs: number,
  ): Promise<LifecycleResponse<M>> {
    try {
      return await unary(this.lifecycleClient, method, request, { deadlineMs });
    } catch (error) {
      throw toTributaryError(error, `${method} to ${this.address}`);
    }
  }

  describeQuorum(deadlineMs: number): Promise<DescribeQuorumResponse> {
    return this.admin('DescribeQuorum', {}, deadlineMs);
  }

  close(): void {
    this.adminClient.close();
    this.lifecycleClient.close();
  }
}
