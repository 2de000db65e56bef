import { describe, expect, it } from 'vitest';
import { parseNemesisKinds } from './nemesis-types.js';

describe('parseNemesisKinds', () => {
  it('reads a --nemesis list, "none" where allowed, and names unknown kinds', () => {
    expect(parseNemesisKinds('kill, pause,clock')).toEqual(['kill', 'pause', 'clock']);
    expect(parseNemesisKinds('none', { allowNone: true })).toEqual([]);
    expect(() => parseNemesisKinds('none')).toThrow(/unknown nemesis none; choose from kill,/);
    expect(() => parseNemesisKinds('kill,flood', { allowNone: true })).toThrow(
      /unknown nemesis flood;.* or none/,
    );
  });
});
