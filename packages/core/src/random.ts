/** Randomness as an injected service: simulations replay exactly from a seed. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [minInclusive, maxExclusive). */
  int(minInclusive: number, maxExclusive: number): number;
}

/**
 * A seeded PRNG (sfc32, seeded through splitmix32). Written by hand because it is twenty lines and
 * the simulation needs a generator whose sequence is fixed forever by its seed, independent of any
 * library's version.
 */
export class SeededRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
  }

  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  int(minInclusive: number, maxExclusive: number): number {
    if (!(maxExclusive > minInclusive)) {
      throw new RangeError(`empty range [${minInclusive}, ${maxExclusive})`);
    }
    return minInclusive + Math.floor(this.next() * (maxExclusive - minInclusive));
  }
}

/** Process randomness for production shells (never used inside pure packages). */
export const systemRandom: Random = {
  next: () => Math.random(),
  int: (minInclusive, maxExclusive) =>
    minInclusive + Math.floor(Math.random() * (maxExclusive - minInclusive)),
};
