/** Time as an injected service so pure code and simulations never read the wall clock. */
export interface Clock {
  /** Milliseconds on a monotonic clock (not wall time). */
  nowMs(): number;
  /** Milliseconds since the Unix epoch, for timestamps shown to people. */
  wallMs(): number;
}

export const systemClock: Clock = {
  nowMs: () => performance.now(),
  wallMs: () => Date.now(),
};

/** A clock that moves only when told to; for tests and simulations. */
export class ManualClock implements Clock {
  private currentMs: number;
  constructor(startMs = 0) {
    this.currentMs = startMs;
  }
  nowMs(): number {
    return this.currentMs;
  }
  wallMs(): number {
    return this.currentMs;
  }
  advance(deltaMs: number): void {
    if (deltaMs < 0) throw new RangeError(`clock cannot go back by ${deltaMs} ms`);
    this.currentMs += deltaMs;
  }
}
