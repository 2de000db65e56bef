// Original file: protos/tributary/v1/auth.proto


export interface ScramStartResponse {
  /**
   * Names this exchange in ScramFinish; valid for a few seconds, on this process only.
   */
  'exchangeId'?: (string);
  /**
   * The server-first message (`r=NONCE,s=SALT,i=ITERATIONS`).
   */
  'serverFirst'?: (Buffer | Uint8Array | string);
}

export interface ScramStartResponse__Output {
  /**
   * Names this exchange in ScramFinish; valid for a few seconds, on this process only.
   */
  'exchangeId': (string);
  /**
   * The server-first message (`r=NONCE,s=SALT,i=ITERATIONS`).
   */
  'serverFirst': (Buffer);
}
