import {
  type ControllerAdminHandlers,
  type ElectLeadersResponse,
  type ElectLeadersResult,
  handleUnary,
  requireCountAtMost,
} from '@tributary/protocol';
import {
  ELECT_LEADERS_PARTITIONS_MAX,
  type ElectionResult,
  electPreferredLeaders,
  PREFERRED_ELECTIONS_PER_COMMAND_MAX,
  type TopicPartitionName,
} from '../control/leader-balance.js';
import type { ControllerAdminOptions } from './controller-admin.js';
import { requireTopicName } from './request-checks.js';

type HandleOptions = { readonly onUnexpectedError: (error: unknown) => void };

export function createLeaderHandlers(
  options: ControllerAdminOptions,
  handleOptions: HandleOptions,
): Pick<ControllerAdminHandlers, 'ElectLeaders'> {
  return {
    ElectLeaders: handleUnary(async (request): Promise<ElectLeadersResponse> => {
      requireCountAtMost(request.partitions, 'partitions', ELECT_LEADERS_PARTITIONS_MAX);
      if (request.partitions.length === 0) return { results: await electAll(options) };
      const partitions = request.partitions.map(
        (ref, i): TopicPartitionName => ({
          topic: requireTopicName(ref.topic, `partitions[${i}].topic`),
          partition: ref.partition,
        }),
      );
      const { response } = await options.quorum.runCommand((latest) =>
        electPreferredLeaders(latest, { partitions }),
      );
      return { results: response.results.map(toWire) };
    }, handleOptions),
  };
}

/**
 * Every partition: one command per PREFERRED_ELECTIONS_PER_COMMAND_MAX elections, each decided against
 * the image the previous one left, until none is left. The rounds are bounded: every round but the last
 * moves PREFERRED_ELECTIONS_PER_COMMAND_MAX leaders to where they stay (a later round skips them).
 */
async function electAll(options: ControllerAdminOptions): Promise<ElectLeadersResult[]> {
  const { quorum } = options;
  const results = new Map<string, ElectionResult>();
  const roundsMax =
    Math.ceil(quorum.latestImage().partitionCount() / PREFERRED_ELECTIONS_PER_COMMAND_MAX) + 1;
  for (let round = 0; round < roundsMax; round++) {
    const { response } = await quorum.runCommand((latest) =>
      electPreferredLeaders(latest, { partitions: 'all' }),
    );
    // A later round's answer for a partition is the newer one.
    for (const result of response.results) results.set(`${result.topic}\u0000${result.partition}`, result);
    if (!response.more) break;
  }
  return [...results.values()].map(toWire);
}

function toWire(result: ElectionResult): ElectLeadersResult {
  return {
    topic: result.topic,
    partition: result.partition,
    errorCode: result.errorCode ?? '',
    errorMessage: result.message,
    leader: result.leader,
  };
}
