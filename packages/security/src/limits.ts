/**
 * Every bound the security core enforces, named once ("put a limit on everything", STYLE.md). The SCRAM
 * iteration bounds and the user-name length are the same values as core's LIMITS.scram* (which the
 * controller's AlterUserScramCredentials checks); they are repeated here only because this package's
 * SASL parsers must refuse oversized input before anything else sees it.
 */
export const SECURITY_LIMITS = {
  /**
   * One SASL message (SCRAM's four, PLAIN's one). A SCRAM client-first with a 256-character name and a
   * 64-character nonce is under 400 bytes; Kafka bounds the whole SASL frame at 512 KiB
   * (sasl.server.max.receive.size), far more than an honest client needs.
   */
  saslMessageBytesMax: 4_096,
  /** Kafka's ScramMechanism: minIterations 4096 (RFC 7677 §4's minimum); ScramControlManager.MAX_ITERATIONS. */
  scramIterationsMin: 4_096,
  scramIterationsMax: 16_384,
  /** A new credential's salt: at least 128 bits (NIST SP 800-132); at most what a credential record holds. */
  scramSaltBytesMin: 16,
  scramSaltBytesMax: 256,
  /** A nonce this process makes (server or client side): at least 16 printable characters. */
  scramOwnNonceLengthMin: 16,
  /** A nonce from the peer, and the combined nonce: bounded so a message stays small. */
  scramNonceLengthMax: 512,
  /** A SCRAM or PLAIN user name, in characters (core's LIMITS.scramUserNameLengthMax). */
  userNameLengthMax: 256,
  /** A password given to credential creation or PLAIN (RFC 4616 requires accepting 255 octets). */
  passwordLengthMax: 1_024,
  /** `ssl.principal.mapping.rules`: the whole text, and the number of rules in it. */
  principalMappingRulesLengthMax: 16_384,
  principalMappingRulesMax: 64,
  /** A certificate subject's distinguished name, as text. */
  distinguishedNameLengthMax: 4_096,
  /** `super.users` entries (`;`-separated, as Kafka's StandardAuthorizer reads them). */
  superUsersMax: 1_000,
  /** A principal, `Type:name` (core's LIMITS.aclPrincipalLengthMax: long enough for a DN). */
  principalLengthMax: 1_024,
  /** An ACL's resource name or prefix (core's LIMITS.aclResourceNameLengthMax). */
  aclResourceNameLengthMax: 1_024,
  /** An ACL's host: `*` or an IP address (IPv6 with a zone fits); core's LIMITS.aclHostLengthMax. */
  aclHostLengthMax: 255,
  /**
   * gRPC authentication sessions (one SCRAM exchange, then a bearer token; DESIGN §10): sessions held by one
   * process at most (the oldest is dropped beyond it: its client authenticates again), and SCRAM exchanges
   * waiting for their client-final (the oldest is dropped: an honest client answers within milliseconds).
   */
  authSessionsMax: 10_000,
  authExchangesPendingMax: 1_000,
  /** How long a started exchange waits for its client-final. */
  authExchangeTimeoutMs: 10_000,
  /** `--session-lifetime-ms`: a session's lifetime (Kafka's connections.max.reauth.ms has no default bound). */
  sessionLifetimeMsMin: 1_000,
  sessionLifetimeMsMax: 7 * 24 * 3_600_000,
  sessionLifetimeMsDefault: 3_600_000,
  /** A session token: random bytes (256 bits), sent base64url; a token of another length is refused unread. */
  sessionTokenBytes: 32,
  sessionTokenLengthMax: 64,
  /** Client certificates whose principal a process keeps mapped (by fingerprint; the cache is cleared beyond). */
  certificatePrincipalsCachedMax: 1_024,
  /** Samples in one quota rate window (Kafka's quota.window.num defaults to 11). */
  quotaSamplesMax: 100,
  /** One quota sample's length (Kafka's quota.window.size.seconds defaults to 1). */
  quotaSampleWindowMsMin: 10,
  quotaSampleWindowMsMax: 3_600_000,
  /** Client quota rates (and throttle holds) one broker keeps; the least recently used are dropped first. */
  quotaTrackedEntitiesMax: 10_000,
  /** A client quota rate nobody recorded to for this long is forgotten (Kafka's quota sensors: one hour). */
  quotaIdleExpiryMs: 3_600_000,
} as const;
