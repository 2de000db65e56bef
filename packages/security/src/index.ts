/**
 * The pure security core (DESIGN §10): the ACL model and the authorizer, SCRAM (RFC 5802/7677), principals
 * and their mapping from certificates, and quota arithmetic. No I/O, no clock, no randomness of its own:
 * the shells (controller, broker, client) pass time and random bytes in.
 */
export * from './types.js';
