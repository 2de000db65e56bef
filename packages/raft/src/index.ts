/**
 * @tributary/raft: a pure Raft core (no I/O, no timers; see RaftNode for how a shell drives it), the
 * reference MemoryStorage, and the deterministic simulation with its invariant checkers.
 */
export {
  applyMembershipChange,
  bootstrapMembership,
  decodeMembership,
  encodeMembership,
  isMember,
  MEMBERS_MAX,
  type Membership,
  type MembershipChange,
  validAddress,
} from './membership.js';
export { RaftNode } from './node.js';
export { type Invariant, InvariantChecker, InvariantViolation } from './sim/checker.js';
export { type ClusterOptions, SimCluster, type SimNode } from './sim/cluster.js';
export { type NetworkFaults, PERFECT_NETWORK, SimNetwork } from './sim/network.js';
export {
  DEFAULT_CHAOS_TICKS,
  DEFAULT_LIVENESS_TICKS_MAX,
  runSimulation,
  SimulationFailure,
  type SimulationOptions,
  type SimulationResult,
} from './sim/simulation.js';
export { entrySizeBytes, MemoryStorage, snapshotMembership } from './storage.js';
export * from './types.js';
