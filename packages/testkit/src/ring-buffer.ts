/**
 * The last `linesMax` lines of a child process's output, each cut at `lineCharsMax`: enough to explain a
 * failure, bounded however chatty the process is. Chunks arrive split anywhere; a partial line waits for
 * its end (bounded too).
 */
export class LineRingBuffer {
  private readonly lines: string[];
  private start = 0;
  private count = 0;
  private partial = '';
  private droppedLines = 0;

  constructor(
    private readonly linesMax: number,
    private readonly lineCharsMax: number,
  ) {
    if (!Number.isInteger(linesMax) || linesMax < 1)
      throw new RangeError(`linesMax must be >= 1, got ${linesMax}`);
    if (!Number.isInteger(lineCharsMax) || lineCharsMax < 1) {
      throw new RangeError(`lineCharsMax must be >= 1, got ${lineCharsMax}`);
    }
    this.lines = new Array<string>(linesMax).fill('');
  }

  /** Appends a chunk of output; complete lines enter the ring. */
  write(chunk: string): void {
    const pieces = (this.partial + chunk).split('\n');
    this.partial = pieces.pop() ?? '';
    for (const piece of pieces) this.push(piece);
    // A line that never ends must not grow without bound.
    if (this.partial.length > this.lineCharsMax) {
      this.push(this.partial);
      this.partial = '';
    }
  }

  /** Pushes one line (cut to lineCharsMax), evicting the oldest when full. */
  push(line: string): void {
    const kept = line.length > this.lineCharsMax ? `${line.slice(0, this.lineCharsMax)}…` : line;
    const slot = (this.start + this.count) % this.linesMax;
    this.lines[slot] = kept;
    if (this.count < this.linesMax) {
      this.count++;
    } else {
      this.start = (this.start + 1) % this.linesMax;
      this.droppedLines++;
    }
  }

  /** The last `lineCount` complete lines (and the unfinished one, if any), oldest first. */
  tail(lineCount: number = this.linesMax): string[] {
    const wanted = Math.max(0, Math.min(lineCount, this.count));
    const result: string[] = [];
    for (let index = this.count - wanted; index < this.count; index++) {
      result.push(this.lines[(this.start + index) % this.linesMax] ?? '');
    }
    if (this.partial.length > 0) result.push(this.partial);
    return result;
  }

  /** Lines evicted so far: a dump says how much it left out. */
  get dropped(): number {
    return this.droppedLines;
  }

  get size(): number {
    return this.count;
  }
}
