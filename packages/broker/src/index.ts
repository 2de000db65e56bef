export * from './lifecycle/index.js';
export * from './metadata-follower/index.js';
export * from './node/index.js';
export * from './services/index.js';
