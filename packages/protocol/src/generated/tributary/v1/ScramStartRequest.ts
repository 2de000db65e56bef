// Original file: protos/tributary/v1/auth.proto


export interface ScramStartRequest {
  /**
   * SCRAM-SHA-256 or SCRAM-SHA-512.
   */
  'mechanism'?: (string);
  /**
   * The client-first message (`n,,n=USER,r=NONCE`), UTF-8.
   */
  'clientFirst'?: (Buffer | Uint8Array | string);
}

export interface ScramStartRequest__Output {
  /**
   * SCRAM-SHA-256 or SCRAM-SHA-512.
   */
  'mechanism': (string);
  /**
   * The client-first message (`n,,n=USER,r=NONCE`), UTF-8.
   */
  'clientFirst': (Buffer);
}
