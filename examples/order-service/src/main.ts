/**
 * An order service in one file, written as an application would use Tributary: it depends only on
 * `@tributary/client` from npm (here, the packed tarball; see README.md).
 *
 *   node dist/main.js --bootstrap 127.0.0.1:9092 [--orders 50]
 *
 * 1. admin: creates the `orders` topic (3 partitions) unless it exists;
 * 2. producer: sends the orders, keyed by customer so that one customer's orders stay in order;
 * 3. consumer group `billing`: bills every order once, committing as it goes;
 * 4. admin: the group's lag, which must be 0 once everything is billed.
 * Prints one JSON line with what it did and exits 0, or names the failure and exits 1.
 */
import { parseArgs } from 'node:util';
import { TributaryClient, TributaryError } from '@tributary/client';

const TOPIC = 'orders';
const GROUP = 'billing';
/** The whole run's bound: an example that hangs helps nobody. */
const RUN_TIMEOUT_MS = 60_000;

interface Order {
  readonly id: number;
  readonly customer: string;
  readonly amountCents: number;
}

function parse(): { bootstrap: string[]; orders: number } {
  const { values } = parseArgs({
    options: { bootstrap: { type: 'string', default: '127.0.0.1:9092' }, orders: { type: 'string', default: '50' } },
  });
  const orders = Number(values.orders);
  if (!Number.isSafeInteger(orders) || orders < 1) throw new RangeError(`--orders must be a whole number >= 1`);
  return { bootstrap: values.bootstrap.split(','), orders };
}

async function ensureTopic(client: TributaryClient): Promise<void> {
  const admin = client.admin();
  const topics = await admin.listTopics();
  if (topics.some((topic) => topic.name === TOPIC)) return;
  try {
    await admin.createTopic({ name: TOPIC, partitions: 3, replicationFactor: 1 });
  } catch (error) {
    // Another instance created it first.
    if (!(error instanceof TributaryError && error.code === 'TOPIC_ALREADY_EXISTS')) throw error;
  }
}

async function main(): Promise<void> {
  const { bootstrap, orders: count } = parse();
  const client = new TributaryClient({ bootstrap });
  try {
    await ensureTopic(client);

    const producer = client.producer();
    const orders: Order[] = Array.from({ length: count }, (_, id) => ({
      id,
      customer: `customer-${id % 7}`,
      amountCents: 100 + ((id * 37) % 900),
    }));
    await producer.send(
      TOPIC,
      orders.map((order) => ({ key: order.customer, value: JSON.stringify(order) })),
    );

    const billed = new Map<number, Order>();
    let totalCents = 0;
    const billing = client.consumer({ groupId: GROUP, fromBeginning: true });
    billing.subscribe({ topics: [TOPIC] });
    const done = new Promise<void>((resolve, reject) => {
      billing
        .run({
          eachMessage: async ({ message }) => {
            const order = JSON.parse(Buffer.from(message.value ?? []).toString()) as Order;
            if (!billed.has(order.id)) totalCents += order.amountCents;
            billed.set(order.id, order);
            if (billed.size === count) resolve();
          },
        })
        .catch(reject);
    });
    await done;
    await billing.close();

    const group = await client.admin().describeGroup(GROUP);
    const lag = group.partitions.reduce((sum, partition) => sum + (partition.lag ?? 0), 0);
    const expectedCents = orders.reduce((sum, order) => sum + order.amountCents, 0);
    if (totalCents !== expectedCents) throw new Error(`billed ${totalCents} cents, expected ${expectedCents}`);
    if (lag !== 0) throw new Error(`group ${GROUP} still has lag ${lag}`);
    console.log(JSON.stringify({ produced: count, billed: billed.size, totalCents, lag }));
  } finally {
    client.close();
  }
}

const timeout = setTimeout(() => {
  console.error(`order service: not done within ${RUN_TIMEOUT_MS} ms`);
  process.exit(1);
}, RUN_TIMEOUT_MS);
main().then(
  () => clearTimeout(timeout),
  (error: unknown) => {
    console.error(`order service failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
