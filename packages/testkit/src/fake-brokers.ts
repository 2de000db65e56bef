import { randomUUID } from 'node:crypto';
import type { LeaderFollowingClient } from './leader-client.js';
import { waitFor } from './wait.js';

export interface FakeBrokerFleetOptions {
  readonly count: number;
  readonly firstBrokerId?: number;
  readonly heartbeatIntervalMs?: number;
}

interface BrokerState {
  readonly brokerId: number;
  readonly incarnationId: string;
  brokerEpoch: number | undefined;
  fenced: boolean;
}

const FAKE_BROKERS_MAX = 64;

/**
 * Brokers that exist only as the real BrokerLifecycle protocol: each registers with the active controller
 * and heartbeats every `heartbeatIntervalMs` (500 ms, as DESIGN §5), reporting the controller's own
 * metadata offset as applied, so the controller unfences them and can place partition replicas. They
 * re-register when the controller forgets them (UNKNOWN_BROKER / STALE_BROKER_EPOCH). No data plane.
 */
export class FakeBrokerFleet {
  private readonly brokers: BrokerState[];
  private readonly heartbeatIntervalMs: number;
  private running: Promise<void> | undefined;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  errors = 0;
  lastError: string | undefined;

  constructor(
    private readonly client: LeaderFollowingClient,
    options: FakeBrokerFleetOptions,
  ) {
    if (!Number.isInteger(options.count) || options.count < 1 || options.count > FAKE_BROKERS_MAX) {
      throw new RangeError(`fake broker count must be 1..${FAKE_BROKERS_MAX}`);
    }
    const first = options.firstBrokerId ?? 1;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 500;
    this.brokers = Array.from({ length: options.count }, (_, index) => ({
      brokerId: first + index,
      incarnationId: randomUUID(),
      brokerEpoch: undefined,
      fenced: true,
    }));
  }

  get brokerIds(): number[] {
    return this.brokers.map((broker) => broker.brokerId);
  }

  start(): void {
    if (this.running !== undefined) throw new Error('fake brokers already started');
    this.running = this.loop();
  }

  /** Waits until the active controller lists every fake broker as registered and unfenced. */
  async waitUnfenced(timeoutMs = 15_000): Promise<void> {
    await waitFor(
      `fake brokers ${this.brokerIds.join(',')} to be unfenced (errors ${this.errors}, last ${this.lastError})`,
      async () => {
        const cluster = await this.client.admin('DescribeCluster', {}, { timeoutMs: 2_000 });
        const unfenced = new Set(
          cluster.brokers.filter((broker) => !broker.fenced).map((broker) => broker.brokerId),
        );
        return this.brokers.every((broker) => unfenced.has(broker.brokerId)) ? true : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopRequested) {
      const started = performance.now();
      await this.heartbeatRound();
      const remainingMs = this.heartbeatIntervalMs - (performance.now() - started);
      if (remainingMs > 0 && !this.stopRequested) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remainingMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  private async heartbeatRound(): Promise<void> {
    // Each attempt is short so one slow round cannot eat the lease (3 s by default).
    const callOptions = { timeoutMs: 1_000 };
    let metadataOffset = 0;
    try {
      metadataOffset = (await this.client.admin('DescribeCluster', {}, callOptions)).metadataOffset;
    } catch (error) {
      this.noteError(error);
      return;
    }
    await Promise.all(this.brokers.map((broker) => this.heartbeatOne(broker, metadataOffset, callOptions)));
  }

  private async heartbeatOne(
    broker: BrokerState,
    metadataOffset: number,
    callOptions: { timeoutMs: number },
  ): Promise<void> {
    try {
      if (broker.brokerEpoch === undefined) {
        const registered = await this.client.lifecycle(
          'RegisterBroker',
          {
            brokerId: broker.brokerId,
            incarnationId: broker.incarnationId,
            address: `127.0.0.1:${20_000 + broker.brokerId}`,
            rack: '',
          },
          callOptions,
        );
        broker.brokerEpoch = registered.brokerEpoch;
        return;
      }
      const response = await this.client.lifecycle(
        'BrokerHeartbeat',
        {
          brokerId: broker.brokerId,
          brokerEpoch: broker.brokerEpoch,
          metadataOffset,
          wantFence: false,
          wantShutdown: false,
        },
        callOptions,
      );
      broker.fenced = response.fenced;
    } catch (error) {
      this.noteError(error);
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
      if (code === 'UNKNOWN_BROKER' || code === 'STALE_BROKER_EPOCH') broker.brokerEpoch = undefined;
    }
  }

  private noteError(error: unknown): void {
    this.errors++;
    this.lastError = error instanceof Error ? error.message : String(error);
  }
}
