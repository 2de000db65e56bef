// Original file: protos/tributary/v1/auth.proto


export interface ScramFinishRequest {
  'exchangeId'?: (string);
  /**
   * The client-final message (`c=...,r=...,p=PROOF`).
   */
  'clientFinal'?: (Buffer | Uint8Array | string);
}

export interface ScramFinishRequest__Output {
  'exchangeId': (string);
  /**
   * The client-final message (`c=...,r=...,p=PROOF`).
   */
  'clientFinal': (Buffer);
}
