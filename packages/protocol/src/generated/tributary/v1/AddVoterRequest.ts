// Original file: protos/tributary/v1/controller.proto


export interface AddVoterRequest {
  'voterId'?: (number);
  /**
   * Where the other controllers reach the new voter (host:port of its Raft/gRPC listener).
   */
  'address'?: (string);
}

export interface AddVoterRequest__Output {
  'voterId': (number);
  /**
   * Where the other controllers reach the new voter (host:port of its Raft/gRPC listener).
   */
  'address': (string);
}
