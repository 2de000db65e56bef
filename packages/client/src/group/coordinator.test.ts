/**
 * A call waiting on a group coordinator that stopped answering (paused: connections open, nothing comes
 * back) is given up as soon as another broker names the new coordinator, instead of waiting out its 5 s
 * deadline (issue 16). The test timeout is below that deadline: a call that waited it out fails the test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCoordinator, startFakeCoordinator } from '../testing/fake-coordinator.js';
import { GROUP_LIMITS } from './config.js';
import { CoordinatorConnections, CoordinatorLookup } from './coordinator.js';

const TEST_TIMEOUT_MS = GROUP_LIMITS.coordinatorCallTimeoutMs - 1_500;

let fake: FakeCoordinator;
let connections: CoordinatorConnections;

beforeEach(async () => {
  fake = await startFakeCoordinator({ topics: { t: 1 }, servers: 3 });
  connections = new CoordinatorConnections();
});
afterEach(async () => {
  connections.close();
  await fake.stop();
});

function lookup(): CoordinatorLookup {
  return new CoordinatorLookup({
    groupId: 'g',
    connections,
    lookupAddresses: () => fake.addresses,
    watchIntervalMs: 50,
  });
}

const heartbeat = {
  groupId: 'g',
  memberId: 'm1',
  memberEpoch: 0,
  clientId: 'c',
  subscribedTopics: ['t'],
  assignor: 'range',
  rebalanceTimeoutMs: 60_000,
  sessionTimeoutMs: 45_000,
  ownedPartitions: [],
};

const findCoordinatorCalls = (server: number) =>
  fake.requests.filter((r) => r.method === 'FindCoordinator' && r.server === server).length;

describe('a call waiting on a paused coordinator', () => {
  it(
    'is given up with NOT_COORDINATOR once another broker names the new coordinator, which is cached',
    async () => {
      const group = lookup();
      await group.call('GroupHeartbeat', heartbeat);
      expect(group.current).toBe(fake.addresses[0]);
      fake.paused.add(0);
      const call = group.call('GroupHeartbeat', { ...heartbeat, memberEpoch: 1 });
      const rejected = expect(call).rejects.toMatchObject({ code: 'NOT_COORDINATOR' });
      // The watch asks the other brokers, which still name the paused one: the call keeps waiting.
      await waitUntil(() => findCoordinatorCalls(1) + findCoordinatorCalls(2) >= 3);
      fake.coordinator = 2;
      await rejected;
      expect(group.current).toBe(fake.addresses[2]);
      // The next call goes to the new coordinator without another lookup, and the paused one is asked last.
      const lookupsBefore = findCoordinatorCalls(1) + findCoordinatorCalls(2);
      await group.call('GroupHeartbeat', { ...heartbeat, memberEpoch: 0 });
      expect(findCoordinatorCalls(1) + findCoordinatorCalls(2)).toBe(lookupsBefore);
      expect(findCoordinatorCalls(0)).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it('stops asking once the call is answered', async () => {
    const group = lookup();
    await group.call('GroupHeartbeat', heartbeat);
    const asked = fake.requests.filter((r) => r.method === 'FindCoordinator').length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.requests.filter((r) => r.method === 'FindCoordinator').length).toBe(asked);
  });
});

function waitUntil(condition: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const startedMs = performance.now();
    const poll = setInterval(() => {
      if (condition()) {
        clearInterval(poll);
        resolve();
      } else if (performance.now() - startedMs > TEST_TIMEOUT_MS) {
        clearInterval(poll);
        reject(new Error('condition not met'));
      }
    }, 5);
  });
}
