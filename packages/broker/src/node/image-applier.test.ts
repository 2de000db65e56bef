import { MetadataImage } from '@tributary/metadata';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ImageApplier } from './image-applier.js';

function imageAt(offset: number): MetadataImage {
  return { offset } as unknown as MetadataImage;
}

describe('ImageApplier', () => {
  it('applies one image at a time, in order, skipping superseded ones', async () => {
    const applied: number[] = [];
    let release: (() => void) | undefined;
    const applier = new ImageApplier(
      async (image) => {
        applied.push(image.offset);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      pino({ level: 'silent' }),
    );
    applier.offer(imageAt(1));
    applier.offer(imageAt(2));
    applier.offer(imageAt(3));
    applier.offer(imageAt(2));
    expect(applied).toEqual([1]);
    release?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(applied).toEqual([1, 3]);
    release?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(applier.appliedOffset).toBe(3);
    applier.offer(imageAt(3));
    applier.offer(MetadataImage.EMPTY);
    await applier.close();
    expect(applied).toEqual([1, 3]);
  });
});
