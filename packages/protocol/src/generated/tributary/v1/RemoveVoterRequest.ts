// Original file: protos/tributary/v1/controller.proto


export interface RemoveVoterRequest {
  'voterId'?: (number);
}

export interface RemoveVoterRequest__Output {
  'voterId': (number);
}
