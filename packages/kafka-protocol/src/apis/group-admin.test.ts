/**
 * Wire checks of FindCoordinator and the group administration APIs (DescribeGroups, ListGroups,
 * DeleteGroups), spelled out field by field from the protocol guide's BNF at a classic and at a
 * flexible version. Values carry the defaults of the fields their version lacks.
 */
import { describe, expect, it } from 'vitest';
import { decodeRequestBytes } from '../api.js';
import { decodeErrorCode } from '../testing/decode-error.js';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { FindCoordinator } from './find-coordinator.js';
import { DeleteGroups, DescribeGroups, ListGroups } from './group-admin.js';

const { NO_TAGS } = w;
const METADATA = Buffer.from([0, 3, 0, 0, 0, 1]);
const ASSIGNMENT = Buffer.from([0, 3, 9, 9]);

describe('FindCoordinator', () => {
  it('v0: Key => STRING; ErrorCode NodeId Host Port', () => {
    expectRequestWire(FindCoordinator, 0, { key: 'g1', keyType: 0, coordinatorKeys: [] }, w.string('g1'));
    expectResponseWire(
      FindCoordinator,
      0,
      {
        throttleTimeMs: 0,
        errorCode: 15,
        errorMessage: null,
        nodeId: -1,
        host: '',
        port: -1,
        coordinators: [],
      },
      w.concat(w.int16(15), w.int32(-1), w.string(''), w.int32(-1)),
    );
  });

  it('v1: KeyType follows Key; throttle time and error message lead the answer', () => {
    expectRequestWire(
      FindCoordinator,
      1,
      { key: 'tx', keyType: 1, coordinatorKeys: [] },
      w.concat(w.string('tx'), w.int8(1)),
    );
    expectResponseWire(
      FindCoordinator,
      1,
      {
        throttleTimeMs: 7,
        errorCode: 0,
        errorMessage: null,
        nodeId: 2,
        host: 'b2',
        port: 9094,
        coordinators: [],
      },
      w.concat(w.int32(7), w.int16(0), w.string(null), w.int32(2), w.string('b2'), w.int32(9094)),
    );
  });

  it('v4 (flexible, KIP-699): KeyType [CoordinatorKeys]; [Coordinators]', () => {
    expectRequestWire(
      FindCoordinator,
      4,
      { key: '', keyType: 0, coordinatorKeys: ['a', 'b'] },
      w.concat(w.int8(0), w.compactArray(w.compactString('a'), w.compactString('b')), NO_TAGS),
    );
    expectResponseWire(
      FindCoordinator,
      4,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        nodeId: 0,
        host: '',
        port: 0,
        coordinators: [{ key: 'a', nodeId: 2, host: 'b2', port: 9094, errorCode: 0, errorMessage: null }],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.compactString('a'),
            w.int32(2),
            w.compactString('b2'),
            w.int32(9094),
            w.int16(0),
            w.compactString(null),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
  });
});
describe('DescribeGroups', () => {
  const member = {
    memberId: 'm',
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/127.0.0.1',
    memberMetadata: METADATA,
    memberAssignment: ASSIGNMENT,
  };

  it('v0: [Groups]; [Groups] with members, no authorized operations', () => {
    expectRequestWire(
      DescribeGroups,
      0,
      { groups: ['g'], includeAuthorizedOperations: false },
      w.array(w.string('g')),
    );
    expectResponseWire(
      DescribeGroups,
      0,
      {
        throttleTimeMs: 0,
        groups: [
          {
            errorCode: 0,
            groupId: 'g',
            groupState: 'Stable',
            protocolType: 'consumer',
            protocolData: 'range',
            members: [member],
            authorizedOperations: -2_147_483_648,
          },
        ],
      },
      w.array(
        w.concat(
          w.int16(0),
          w.string('g'),
          w.string('Stable'),
          w.string('consumer'),
          w.string('range'),
          w.array(
            w.concat(
              w.string('m'),
              w.string('c'),
              w.string('/127.0.0.1'),
              w.bytes(METADATA),
              w.bytes(ASSIGNMENT),
            ),
          ),
        ),
      ),
    );
  });

  it('v5 (flexible): instance ids and authorized operations', () => {
    expectRequestWire(
      DescribeGroups,
      5,
      { groups: ['g'], includeAuthorizedOperations: true },
      w.concat(w.compactArray(w.compactString('g')), w.bool(true), NO_TAGS),
    );
    expectResponseWire(
      DescribeGroups,
      5,
      {
        throttleTimeMs: 0,
        groups: [
          {
            errorCode: 0,
            groupId: 'g',
            groupState: 'Stable',
            protocolType: 'consumer',
            protocolData: 'range',
            members: [{ ...member, groupInstanceId: 'i' }],
            authorizedOperations: 0b1_1000_0000,
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.int16(0),
            w.compactString('g'),
            w.compactString('Stable'),
            w.compactString('consumer'),
            w.compactString('range'),
            w.compactArray(
              w.concat(
                w.compactString('m'),
                w.compactString('i'),
                w.compactString('c'),
                w.compactString('/127.0.0.1'),
                w.compactBytes(METADATA),
                w.compactBytes(ASSIGNMENT),
                NO_TAGS,
              ),
            ),
            w.int32(0b1_1000_0000),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
  });

  it('refuses counts the bytes left cannot hold, and a bool other than 0 or 1', () => {
    expect(decodeErrorCode(() => decodeRequestBytes(DescribeGroups, 0, w.int32(0x7fff_ffff)))).toBe(
      'BAD_LENGTH',
    );
    expect(
      decodeErrorCode(() => decodeRequestBytes(DescribeGroups, 5, w.concat(w.uvarint(1_000_000), NO_TAGS))),
    ).toBe('BAD_LENGTH');
    expect(decodeErrorCode(() => decodeRequestBytes(DescribeGroups, 3, w.concat(w.array(), w.int8(2))))).toBe(
      'BAD_VALUE',
    );
    expect(
      decodeErrorCode(() => decodeRequestBytes(DescribeGroups, 0, w.concat(w.int32(1), w.int16(-2)))),
    ).toBe('BAD_LENGTH');
  });
});
describe('ListGroups', () => {
  it('v0: an empty request; ErrorCode [Groups]', () => {
    expectRequestWire(ListGroups, 0, { statesFilter: [] }, Buffer.alloc(0));
    expectResponseWire(
      ListGroups,
      0,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        groups: [{ groupId: 'g', protocolType: 'consumer', groupState: '' }],
      },
      w.concat(w.int16(0), w.array(w.concat(w.string('g'), w.string('consumer')))),
    );
  });

  it('v3 (flexible): only the tag buffer; v4 adds the states filter and group state', () => {
    expectRequestWire(ListGroups, 3, { statesFilter: [] }, NO_TAGS);
    expectRequestWire(
      ListGroups,
      4,
      { statesFilter: ['Stable'] },
      w.concat(w.compactArray(w.compactString('Stable')), NO_TAGS),
    );
    expectResponseWire(
      ListGroups,
      4,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        groups: [{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable' }],
      },
      w.concat(
        w.int32(0),
        w.int16(0),
        w.compactArray(
          w.concat(w.compactString('g'), w.compactString('consumer'), w.compactString('Stable'), NO_TAGS),
        ),
        NO_TAGS,
      ),
    );
  });
});
describe('DeleteGroups', () => {
  it('v0: [GroupsNames]; ThrottleTimeMs [Results]', () => {
    expectRequestWire(DeleteGroups, 0, { groupsNames: ['a', 'b'] }, w.array(w.string('a'), w.string('b')));
    expectResponseWire(
      DeleteGroups,
      0,
      { throttleTimeMs: 0, results: [{ groupId: 'a', errorCode: 0 }] },
      w.concat(w.int32(0), w.array(w.concat(w.string('a'), w.int16(0)))),
    );
  });

  it('v2 (flexible)', () => {
    expectRequestWire(
      DeleteGroups,
      2,
      { groupsNames: ['a'] },
      w.concat(w.compactArray(w.compactString('a')), NO_TAGS),
    );
    expectResponseWire(
      DeleteGroups,
      2,
      { throttleTimeMs: 0, results: [{ groupId: 'a', errorCode: 68 }] },
      w.concat(w.int32(0), w.compactArray(w.concat(w.compactString('a'), w.int16(68), NO_TAGS)), NO_TAGS),
    );
  });

  it('refuses a null group name in the array', () => {
    expect(decodeErrorCode(() => decodeRequestBytes(DeleteGroups, 0, w.array(w.string(null))))).toBe(
      'BAD_VALUE',
    );
  });
});
