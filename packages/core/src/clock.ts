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

/**
 * A clock that moves only when told to; for tests and simulations. Both clocks advance together; the wall
 * clock alone can also be set forwards or backwards (jumpWall), as NTP, an operator or a VM migration moves
 * a real one while the monotonic clock keeps going.
 */
export class ManualClock implements Clock {
  private currentMs: number;
  /** How far the wall clock was moved away from the monotonic one (jumpWall), in ms. */
  private wallOffsetMs = 0;
  constructor(startMs = 0) {
    this.currentMs = startMs;
  }
  nowMs(): number {
    return this.currentMs;
  }
  wallMs(): number {
    return this.currentMs + this.wallOffsetMs;
  }
  advance(deltaMs: number): void {
    if (deltaMs < 0) throw new RangeError(`clock cannot go back by ${deltaMs} ms`);
    this.currentMs += deltaMs;
  }
  /** Moves the wall clock alone by deltaMs (negative: backwards); the monotonic clock does not move. */
  jumpWall(deltaMs: number): void {
    if (!Number.isFinite(deltaMs)) throw new RangeError(`wall clock jump ${deltaMs} is not a number of ms`);
    this.wallOffsetMs += deltaMs;
  }
}
