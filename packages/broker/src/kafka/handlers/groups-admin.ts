/**
 * Group administration for Kafka clients: ListGroups (16) v0–4, DescribeGroups (15) v0–5 and
 * DeleteGroups (42) v0–2, over both group protocols (the coordinator's describe and list cover classic
 * groups, Tributary's own groups, shown in the "consumer" protocol's formats, and groups with offsets
 * only). As in Kafka, each broker lists the groups it coordinates (admin clients ask every broker), a
 * ListGroups v4 state filter matches case-insensitively, and DescribeGroups answers a group that does
 * not exist with state Dead and no error (Kafka's answer before v6, KIP-1043). Authorized operations
 * (v3+) are not computed until ACLs exist: the "not requested" value is answered, as Metadata does.
 */
import {
  DeleteGroups,
  DescribeGroups,
  ListGroups,
  parseVersions,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import type { DescribedGroup } from '../../group/classic-describe.js';
import type { GroupDeletion } from '../../group/coordinator.js';
import { CLASSIC_GROUP_LIMITS } from '../../group/limits.js';
import { validateGroupId } from '../../group/validate.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import type { KafkaBrokerParts } from '../parts.js';
import {
  AUTHORIZED_OPERATIONS_OMITTED,
  COORDINATOR_NOT_AVAILABLE,
  failureOf,
  kafkaCode,
} from './groups-common.js';

type DescribeGroupsResponse = ResponseInputOf<typeof DescribeGroups>;
type DescribedGroupResponse = DescribeGroupsResponse['groups'][number];
type DeleteGroupsResponse = ResponseInputOf<typeof DeleteGroups>;

/** The first ListGroups version with a state filter and states in the answer (KIP-518). */
const FIRST_STATES_VERSION = 4;

export function listGroupsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: ListGroups,
    advertised: parseVersions('0-4'),
    handle: (request, context) => {
      const coordinator = parts.groupCoordinator;
      if (coordinator === null)
        return { throttleTimeMs: 0, errorCode: COORDINATOR_NOT_AVAILABLE, groups: [] };
      const states = context.header.apiVersion >= FIRST_STATES_VERSION ? request.statesFilter : [];
      const groups = coordinator.listGroups({ states }).map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType,
        groupState: g.state,
      }));
      return { throttleTimeMs: 0, errorCode: 0, groups };
    },
  });
}

export function describeGroupsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DescribeGroups,
    advertised: parseVersions('0-5'),
    handle: (request): DescribeGroupsResponse => {
      const coordinator = parts.groupCoordinator;
      const groups =
        coordinator === null
          ? request.groups.map((groupId) => unavailable(groupId))
          : coordinator.classic.describeGroups(request.groups).map(describedGroup);
      return { throttleTimeMs: 0, groups };
    },
  });
}

function unavailable(groupId: string): DescribedGroupResponse {
  return {
    errorCode: COORDINATOR_NOT_AVAILABLE,
    groupId,
    groupState: '',
    protocolType: '',
    protocolData: '',
    members: [],
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function describedGroup(group: DescribedGroup): DescribedGroupResponse {
  // Before v6 Kafka answers an unknown group with no error and state Dead; tools rely on the state.
  const missing = group.errorCode === 'GROUP_ID_NOT_FOUND';
  return {
    errorCode: missing ? 0 : kafkaCode(group.errorCode),
    groupId: group.groupId,
    groupState: missing ? 'Dead' : group.state,
    protocolType: group.protocolType,
    protocolData: group.protocolName,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: m.metadata,
      memberAssignment: m.assignment,
    })),
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

export function deleteGroupsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DeleteGroups,
    advertised: parseVersions('0-2'),
    handle: async (request): Promise<DeleteGroupsResponse> => {
      const results = await deleteGroups(parts, request.groupsNames);
      return {
        throttleTimeMs: 0,
        results: results.map((r) => ({ groupId: r.groupId, errorCode: kafkaCode(r.errorCode) })),
      };
    },
  });
}

/** Each group's outcome, in request order; invalid ids are refused alone (INVALID_GROUP_ID). */
async function deleteGroups(parts: KafkaBrokerParts, groupIds: readonly string[]): Promise<GroupDeletion[]> {
  const coordinator = parts.groupCoordinator;
  const refuseAll = (errorCode: GroupDeletion['errorCode'], errorMessage: string) =>
    groupIds.map((groupId) => ({ groupId, errorCode, errorMessage }));
  if (coordinator === null) return refuseAll('COORDINATOR_NOT_AVAILABLE', '');
  if (groupIds.length > CLASSIC_GROUP_LIMITS.groupsPerRequestMax) {
    return refuseAll('INVALID_REQUEST', `more than ${CLASSIC_GROUP_LIMITS.groupsPerRequestMax} groups`);
  }
  const problems = groupIds.map((groupId) => {
    try {
      validateGroupId(groupId);
      return null;
    } catch (error) {
      return failureOf(error);
    }
  });
  const deleted = await coordinator.deleteGroups(groupIds.filter((_, i) => problems[i] === null));
  let next = 0;
  return groupIds.map((groupId, i) => {
    const problem = problems[i];
    if (problem !== null && problem !== undefined) {
      return { groupId, errorCode: problem.code, errorMessage: problem.message };
    }
    return (
      deleted[next++] ?? { groupId, errorCode: 'UNKNOWN', errorMessage: 'the coordinator gave no answer' }
    );
  });
}
