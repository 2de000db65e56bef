/**
 * Work done by the persistent structures, for tests and benchmarks that check an update costs the size
 * of the change rather than the size of the map. Only ever incremented by library code.
 */
export const persistentMapStats = {
  /** Array slots copied or filled while building nodes (path copies, bulk builds). */
  slotsCopied: 0,
};
