// Original file: protos/tributary/v1/raft.proto


export interface RaftStepResponse {
}

export interface RaftStepResponse__Output {
}
