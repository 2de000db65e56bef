import { describe, expect, it } from 'vitest';
import { ANONYMOUS, OPERATIONS, principalToString, RESOURCE_TYPES } from './types.js';

describe('security model data', () => {
  it('writes principals as Kafka does (type:name), ANONYMOUS included', () => {
    expect(principalToString(ANONYMOUS)).toBe('User:ANONYMOUS');
    expect(principalToString({ type: 'User', name: 'CN=a,O=b' })).toBe('User:CN=a,O=b');
  });

  it("names Kafka's operations and resource types once each", () => {
    expect(new Set(OPERATIONS).size).toBe(OPERATIONS.length);
    expect(new Set(RESOURCE_TYPES).size).toBe(RESOURCE_TYPES.length);
  });
});
