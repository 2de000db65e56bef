import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSequenceValue, SequenceChecker, sequenceValue } from './sequence-checker.js';

describe('SequenceChecker', () => {
  it('accepts every acknowledged record read once in order, with failed sends missing or present', () => {
    const checker = new SequenceChecker();
    for (let seq = 0; seq < 10; seq++) checker.acked(0, 'p', seq);
    checker.failed(0, 'p', 10);
    checker.failed(0, 'p', 11);
    checker.acked(0, 'p', 12);
    for (const seq of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12]) checker.read(0, sequenceValue('p', seq, 50));
    expect(checker.caughtUp()).toBe(true);
    checker.finish();
    expect(checker.anomalies()).toEqual([]);
    expect(checker.recordsRead).toBe(12);
  });

  it('reports a skipped acknowledged record, an unread acknowledged tail, a duplicate and garbage', () => {
    const checker = new SequenceChecker();
    for (let seq = 0; seq < 6; seq++) checker.acked(1, 'p', seq);
    for (const seq of [0, 2, 3, 3]) checker.read(1, sequenceValue('p', seq, 20));
    checker.read(1, 'no sequence here');
    expect(checker.caughtUp()).toBe(false);
    checker.finish();
    expect(checker.anomalies().map((a) => `${a.kind} ${a.detail}`)).toEqual([
      'duplicated-or-reordered seq 3 read after seq 3',
      'unparsable value no sequence here',
      'lost seq 1 skipped by the reader',
      'lost acknowledged up to seq 5, read up to 3',
    ]);
  });

  it('keeps producers and partitions apart', () => {
    const checker = new SequenceChecker();
    checker.acked(0, 'a', 0);
    checker.acked(1, 'a', 0);
    checker.acked(0, 'b', 0);
    checker.read(0, sequenceValue('b', 0, 10));
    checker.read(0, sequenceValue('a', 0, 10));
    checker.read(1, sequenceValue('a', 0, 10));
    checker.finish();
    expect(checker.anomalies()).toEqual([]);
  });

  it('values round-trip and are padded to the record size', () => {
    expect(sequenceValue('p1', 42, 16)).toBe('p1:42:xxxxxxxxxx');
    expect(parseSequenceValue(sequenceValue('p1', 42, 200))).toEqual({ producer: 'p1', seq: 42 });
    expect(parseSequenceValue('p1:-3:')).toBeUndefined();
    expect(parseSequenceValue(':3:')).toBeUndefined();
  });

  it('finds exactly the acknowledged records a reader missed (property; seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            outcome: fc.constantFrom('acked', 'failed-written', 'failed-missing'),
            read: fc.boolean(),
          }),
          {
            maxLength: 60,
          },
        ),
        (sends) => {
          const checker = new SequenceChecker();
          let expectedLost = 0;
          sends.forEach((send, seq) => {
            if (send.outcome === 'acked') checker.acked(0, 'p', seq);
            else checker.failed(0, 'p', seq);
            const inLog = send.outcome !== 'failed-missing';
            const readerSees = inLog && (send.outcome !== 'acked' || send.read);
            if (send.outcome === 'acked' && !send.read) expectedLost++;
            if (readerSees) checker.read(0, sequenceValue('p', seq, 12));
          });
          checker.finish();
          const lost = checker.anomalies().filter((a) => a.kind === 'lost').length;
          // An unread acknowledged tail is one anomaly however long it is; a gap is one per sequence.
          const lastRead = sends.findLastIndex(
            (s) => s.outcome !== 'failed-missing' && (s.outcome !== 'acked' || s.read),
          );
          const tailLost = sends.slice(lastRead + 1).some((s) => s.outcome === 'acked') ? 1 : 0;
          const gapLost = sends.slice(0, lastRead + 1).filter((s) => s.outcome === 'acked' && !s.read).length;
          expect(lost).toBe(gapLost + tailLost);
          expect(expectedLost > 0).toBe(lost > 0);
        },
      ),
      { seed: Number(process.env.SOAK_CHECKER_SEED ?? Date.now() % 2 ** 31), verbose: true },
    );
  });
});
