import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A fake fsync whose completions the test controls: each call is one pending commit. */
function fakeFsync(): { commit: () => Promise<void>; pending: Array<(error?: Error) => void> } {
  const pending: Array<(error?: Error) => void> = [];
  const commit = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      pending.push((error) => (error === undefined ? resolve() : reject(error)));
    });
  return { commit, pending };
}

/** Lets queued continuations run (a few microtask turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

function completeNext(pending: Array<(error?: Error) => void>, error?: Error): void {
  const next = pending.shift();
  if (next === undefined) throw new Error('no commit is pending');
  next(error);
}

describe('GroupCommit', () => {
  it('starts a commit at once when none runs', async () => {
    const fsync = fakeFsync();
    const group = new GroupCommit(fsync.commit);
    const done = group.request();
    expect(fsync.pending).toHaveLength(1);
    completeNext(fsync.pending);
    await done;
    expect(group.commitsStarted).toBe(1);
  });

  it('coalesces every request made while a commit runs into ONE next commit', async () => {
    const fsync = fakeFsync();
    const group = new GroupCommit(fsync.commit);
    const resolved: number[] = [];
    const first = group.request().then(() => resolved.push(0));
    // 100 appends land while the first fsync runs: they all wait for one second fsync.
    const later = Array.from({ length: 100 }, (_, i) => group.request().then(() => resolved.push(i + 1)));
    expect(fsync.pending).toHaveLength(1);
    completeNext(fsync.pending);
    await first;
    await settle();
    // The first fsync did not cover the later requests: they are still waiting, on the second one.
    expect(resolved).toEqual([0]);
    expect(fsync.pending).toHaveLength(1);
    expect(group.commitsStarted).toBe(2);
    completeNext(fsync.pending);
    await Promise.all(later);
    expect(resolved).toHaveLength(101);
    expect(group.commitsStarted).toBe(2);
  });

  it('never answers a request with a commit that started before it', async () => {
    const fsync = fakeFsync();
    const group = new GroupCommit(fsync.commit);
    void group.request();
    let lateDone = false;
    const late = group.request().then(() => {
      lateDone = true;
    });
    completeNext(fsync.pending);
    await settle();
    expect(lateDone).toBe(false);
    completeNext(fsync.pending);
    await late;
    expect(lateDone).toBe(true);
  });

  it('under a steady stream of requests runs one commit per commit time, not one per request', async () => {
    const fsync = fakeFsync();
    const group = new GroupCommit(fsync.commit);
    const all: Promise<void>[] = [];
    // 10 requests arrive during each fsync, for 20 fsyncs.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 10; i++) all.push(group.request());
      completeNext(fsync.pending);
      await settle();
    }
    while (fsync.pending.length > 0) {
      completeNext(fsync.pending);
      await settle();
    }
    await Promise.all(all);
    expect(group.commitsStarted).toBeLessThanOrEqual(21);
    expect(all).toHaveLength(200);
  });

  it('fails the requests a failed commit covered; the next request starts a new commit', async () => {
    const fsync = fakeFsync();
    const group = new GroupCommit(fsync.commit);
    const failed = group.request();
    completeNext(fsync.pending, new Error('EIO'));
    await expect(failed).rejects.toThrow('EIO');
    const next = group.request();
    expect(fsync.pending).toHaveLength(1);
    completeNext(fsync.pending);
    await expect(next).resolves.toBeUndefined();
  });

  it('a queued commit still runs after the running one failed', async () => {
    const fsync = fakeFsync();
    const group = new GroupCommit(fsync.commit);
    const first = group.request();
    const queued = group.request();
    completeNext(fsync.pending, new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    await settle();
    expect(fsync.pending).toHaveLength(1);
    completeNext(fsync.pending);
    await expect(queued).resolves.toBeUndefined();
  });
});
