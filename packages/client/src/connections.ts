/** One gRPC client per broker address, created on first use and reused (a channel is costly to open). */
import { type BrokerClient, createBrokerClient } from '@tributary/protocol';

export class BrokerConnections {
  private readonly clients = new Map<string, BrokerClient>();

  get(address: string): BrokerClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createBrokerClient(address, {
        // Large fetch responses move much faster with a wide HTTP/2 window (DESIGN §8).
        channelOptions: { 'grpc-node.flow_control_window': 16 * 1024 * 1024 },
      });
      this.clients.set(address, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** A counting semaphore: bounds the calls in flight to one broker. */
export class Slots {
  private available: number;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {
    this.available = capacity;
  }

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available--;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next();
    else this.available++;
  }
}
