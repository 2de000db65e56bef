/**
 * The pure security core (DESIGN §10): the ACL model and the authorizer, SCRAM (RFC 5802/7677), principals
 * and their mapping from certificates, and quota arithmetic. No I/O, no clock, no randomness of its own:
 * the shells (controller, broker, client) pass time and random bytes in.
 */

export * from './access-control.js';
export * from './acl-filter.js';
export { type AclBucket, AclIndex, buildAclIndex, canonicalHost, type IndexedAcl } from './acl-index.js';
export * from './acl-names.js';
export * from './acl-validate.js';
export * from './authorizer.js';
export { canonicalIpAddress } from './ip-address.js';
export { SECURITY_LIMITS } from './limits.js';
export * from './principal.js';
export * from './principal-mapping.js';
export * from './quota-rate.js';
export * from './quota-resolution.js';
export * from './quota-tracker.js';
export * from './sasl-plain.js';
export * from './scram.js';
export * from './scram-client.js';
export * from './scram-messages.js';
export * from './scram-server.js';
export * from './types.js';
