/**
 * Wire checks of the classic group membership APIs (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), each
 * message spelled out field by field from the protocol guide's BNF (kafka.apache.org/protocol, "The
 * Messages") at a classic and at a flexible version. Values carry the defaults of the fields their
 * version lacks.
 */
import { describe, expect, it } from 'vitest';
import { decodeRequestBytes, decodeResponseBytes } from '../api.js';
import { decodeErrorCode } from '../testing/decode-error.js';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from './group-membership.js';

const { NO_TAGS } = w;
const METADATA = Buffer.from([0, 3, 0, 0, 0, 1]);
const ASSIGNMENT = Buffer.from([0, 3, 9, 9]);

describe('JoinGroup', () => {
  it('v0: no rebalance timeout, no instance ids', () => {
    expectRequestWire(
      JoinGroup,
      0,
      {
        groupId: 'g',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: -1,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: METADATA }],
      },
      w.concat(
        w.string('g'),
        w.int32(10_000),
        w.string(''),
        w.string('consumer'),
        w.array(w.concat(w.string('range'), w.bytes(METADATA))),
      ),
    );
    expectResponseWire(
      JoinGroup,
      0,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        generationId: 1,
        protocolType: null,
        protocolName: 'range',
        leader: 'm1',
        memberId: 'm1',
        members: [{ memberId: 'm1', groupInstanceId: null, metadata: METADATA }],
      },
      w.concat(
        w.int16(0),
        w.int32(1),
        w.string('range'),
        w.string('m1'),
        w.string('m1'),
        w.array(w.concat(w.string('m1'), w.bytes(METADATA))),
      ),
    );
  });

  it('v5: RebalanceTimeoutMs after SessionTimeoutMs, GroupInstanceId after MemberId', () => {
    expectRequestWire(
      JoinGroup,
      5,
      {
        groupId: 'g',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 300_000,
        memberId: 'm',
        groupInstanceId: 'i-1',
        protocolType: 'consumer',
        protocols: [],
      },
      w.concat(
        w.string('g'),
        w.int32(10_000),
        w.int32(300_000),
        w.string('m'),
        w.string('i-1'),
        w.string('consumer'),
        w.array(),
      ),
    );
  });

  it('v7 (flexible): ProtocolType and a nullable ProtocolName in the answer', () => {
    expectRequestWire(
      JoinGroup,
      7,
      {
        groupId: 'g',
        sessionTimeoutMs: 45_000,
        rebalanceTimeoutMs: 300_000,
        memberId: 'm',
        groupInstanceId: 'i-1',
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: METADATA }],
      },
      w.concat(
        w.compactString('g'),
        w.int32(45_000),
        w.int32(300_000),
        w.compactString('m'),
        w.compactString('i-1'),
        w.compactString('consumer'),
        w.compactArray(w.concat(w.compactString('range'), w.compactBytes(METADATA), NO_TAGS)),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      JoinGroup,
      7,
      {
        throttleTimeMs: 0,
        errorCode: 79,
        generationId: -1,
        protocolType: 'consumer',
        protocolName: null,
        leader: '',
        memberId: 'm',
        members: [{ memberId: 'm', groupInstanceId: 'i-1', metadata: METADATA }],
      },
      w.concat(
        w.int32(0),
        w.int16(79),
        w.int32(-1),
        w.compactString('consumer'),
        w.compactString(null),
        w.compactString(''),
        w.compactString('m'),
        w.compactArray(
          w.concat(w.compactString('m'), w.compactString('i-1'), w.compactBytes(METADATA), NO_TAGS),
        ),
        NO_TAGS,
      ),
    );
  });

  it('refuses a null ProtocolName before v7 and a null GroupId anywhere', () => {
    const nullName = (flexible: boolean) =>
      w.concat(
        w.int32(0),
        w.int16(0),
        w.int32(1),
        ...(flexible ? [w.compactString(null)] : []),
        flexible ? w.compactString(null) : w.string(null),
        flexible ? w.compactString('m') : w.string('m'),
        flexible ? w.compactString('m') : w.string('m'),
        flexible ? w.compactArray() : w.array(),
        ...(flexible ? [NO_TAGS] : []),
      );
    expect(decodeErrorCode(() => decodeResponseBytes(JoinGroup, 5, nullName(false)))).toBe('BAD_VALUE');
    expect(decodeResponseBytes(JoinGroup, 7, nullName(true)).protocolName).toBeNull();
    const nullGroup = w.concat(w.string(null), w.int32(1), w.string(''), w.string('consumer'), w.array());
    expect(decodeErrorCode(() => decodeRequestBytes(JoinGroup, 0, nullGroup))).toBe('BAD_VALUE');
  });
});
describe('SyncGroup', () => {
  it('v0: GroupId GenerationId MemberId [Assignments]; ErrorCode Assignment', () => {
    expectRequestWire(
      SyncGroup,
      0,
      {
        groupId: 'g',
        generationId: 1,
        memberId: 'm',
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments: [{ memberId: 'm', assignment: ASSIGNMENT }],
      },
      w.concat(
        w.string('g'),
        w.int32(1),
        w.string('m'),
        w.array(w.concat(w.string('m'), w.bytes(ASSIGNMENT))),
      ),
    );
    expectResponseWire(
      SyncGroup,
      0,
      { throttleTimeMs: 0, errorCode: 0, protocolType: null, protocolName: null, assignment: ASSIGNMENT },
      w.concat(w.int16(0), w.bytes(ASSIGNMENT)),
    );
  });

  it('v5 (flexible, KIP-559): ProtocolType ProtocolName both ways', () => {
    expectRequestWire(
      SyncGroup,
      5,
      {
        groupId: 'g',
        generationId: 2,
        memberId: 'm',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: [],
      },
      w.concat(
        w.compactString('g'),
        w.int32(2),
        w.compactString('m'),
        w.compactString(null),
        w.compactString('consumer'),
        w.compactString('range'),
        w.compactArray(),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      SyncGroup,
      5,
      {
        throttleTimeMs: 3,
        errorCode: 0,
        protocolType: 'consumer',
        protocolName: 'range',
        assignment: ASSIGNMENT,
      },
      w.concat(
        w.int32(3),
        w.int16(0),
        w.compactString('consumer'),
        w.compactString('range'),
        w.compactBytes(ASSIGNMENT),
        NO_TAGS,
      ),
    );
  });
});
describe('Heartbeat', () => {
  it('v0: GroupId GenerationId MemberId; ErrorCode', () => {
    expectRequestWire(
      Heartbeat,
      0,
      { groupId: 'g', generationId: 5, memberId: 'm', groupInstanceId: null },
      w.concat(w.string('g'), w.int32(5), w.string('m')),
    );
    expectResponseWire(Heartbeat, 0, { throttleTimeMs: 0, errorCode: 27 }, w.int16(27));
  });

  it('v4 (flexible)', () => {
    expectRequestWire(
      Heartbeat,
      4,
      { groupId: 'g', generationId: 5, memberId: 'm', groupInstanceId: 'i' },
      w.concat(w.compactString('g'), w.int32(5), w.compactString('m'), w.compactString('i'), NO_TAGS),
    );
    expectResponseWire(
      Heartbeat,
      4,
      { throttleTimeMs: 10, errorCode: 0 },
      w.concat(w.int32(10), w.int16(0), NO_TAGS),
    );
  });

  it('refuses bytes after the body and a body cut short', () => {
    const body = w.concat(w.string('g'), w.int32(5), w.string('m'));
    expect(decodeErrorCode(() => decodeRequestBytes(Heartbeat, 0, w.concat(body, w.int8(0))))).toBe(
      'TRAILING_BYTES',
    );
    expect(decodeErrorCode(() => decodeRequestBytes(Heartbeat, 0, body.subarray(0, body.length - 1)))).toBe(
      'TRUNCATED',
    );
  });
});
describe('LeaveGroup', () => {
  it('v0: GroupId MemberId; ErrorCode', () => {
    expectRequestWire(
      LeaveGroup,
      0,
      { groupId: 'g', memberId: 'm', members: [] },
      w.concat(w.string('g'), w.string('m')),
    );
    expectResponseWire(LeaveGroup, 0, { throttleTimeMs: 0, errorCode: 0, members: [] }, w.int16(0));
  });

  it('v3 (batched, classic): [Members] replaces MemberId', () => {
    expectRequestWire(
      LeaveGroup,
      3,
      { groupId: 'g', memberId: '', members: [{ memberId: 'm', groupInstanceId: null }] },
      w.concat(w.string('g'), w.array(w.concat(w.string('m'), w.string(null)))),
    );
  });

  it('v4 (flexible): per-member answers', () => {
    expectRequestWire(
      LeaveGroup,
      4,
      { groupId: 'g', memberId: '', members: [{ memberId: '', groupInstanceId: 'i' }] },
      w.concat(
        w.compactString('g'),
        w.compactArray(w.concat(w.compactString(''), w.compactString('i'), NO_TAGS)),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      LeaveGroup,
      4,
      { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: 'i', errorCode: 25 }] },
      w.concat(
        w.int32(0),
        w.int16(0),
        w.compactArray(w.concat(w.compactString('m'), w.compactString('i'), w.int16(25), NO_TAGS)),
        NO_TAGS,
      ),
    );
  });
});
