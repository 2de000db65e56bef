// Original file: protos/tributary/v1/controller.proto


export interface BrokerHeartbeatResponse {
  'fenced'?: (boolean);
  'caughtUp'?: (boolean);
  'shouldShutDown'?: (boolean);
  'leaseTimeoutMs'?: (number);
}

export interface BrokerHeartbeatResponse__Output {
  'fenced': (boolean);
  'caughtUp': (boolean);
  'shouldShutDown': (boolean);
  'leaseTimeoutMs': (number);
}
