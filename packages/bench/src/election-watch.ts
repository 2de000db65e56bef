import type { ControllerQuorum } from '@tributary/testkit';

export interface ElectionCount {
  /** Terms above the starting one seen by any controller: each is an election that started. */
  readonly newTerms: number;
  /** Times the leader that a controller reports changed to another node. */
  readonly leaderChanges: number;
  readonly polls: number;
}

const POLL_INTERVAL_MS = 100;
const POLL_DEADLINE_MS = 250;
/** A watch longer than this is a bug in the caller (it forgot to stop it). */
const WATCH_DURATION_MAX_MS = 10 * 60_000;

/**
 * Polls DescribeQuorum on every live controller every 100 ms and counts elections (new terms) and
 * leader changes. Run it while nothing is being killed: anything it counts is a spurious election.
 */
export class ElectionWatch {
  private stopRequested = false;
  private running: Promise<void> | undefined;
  private highestTerm = -1;
  private readonly lastLeaderByNode = new Map<number, number>();
  private newTerms = 0;
  private leaderChanges = 0;
  private polls = 0;

  constructor(private readonly quorum: ControllerQuorum) {}

  start(): void {
    if (this.running !== undefined) throw new Error('election watch already started');
    this.running = this.loop();
  }

  async stop(): Promise<ElectionCount> {
    this.stopRequested = true;
    await this.running;
    return { newTerms: this.newTerms, leaderChanges: this.leaderChanges, polls: this.polls };
  }

  private async loop(): Promise<void> {
    const startedMs = performance.now();
    while (!this.stopRequested && performance.now() - startedMs < WATCH_DURATION_MAX_MS) {
      const roundStartedMs = performance.now();
      const views = await this.quorum.describeAll(POLL_DEADLINE_MS);
      this.polls++;
      for (const view of views.values()) this.observe(view.nodeId, view.term, view.leaderId);
      const restMs = POLL_INTERVAL_MS - (performance.now() - roundStartedMs);
      if (restMs > 0) await new Promise((resolve) => setTimeout(resolve, restMs));
    }
  }

  private observe(nodeId: number, term: number, leaderId: number): void {
    if (this.highestTerm < 0) {
      this.highestTerm = term;
    } else if (term > this.highestTerm) {
      this.newTerms += term - this.highestTerm;
      this.highestTerm = term;
    }
    if (leaderId < 0) return;
    const previous = this.lastLeaderByNode.get(nodeId);
    if (previous !== undefined && previous !== leaderId) this.leaderChanges++;
    this.lastLeaderByNode.set(nodeId, leaderId);
  }
}
