/**
 * The client id of a gRPC call (Kafka's client.id, sent in every Kafka request header): call metadata
 * under this key, set by the client on every broker channel. Client quotas are resolved for it with the
 * caller's principal (DESIGN §10).
 */
export const CLIENT_ID_METADATA_KEY = 'tributary-client-id';
