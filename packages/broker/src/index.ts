export * from './metadata-follower/index.js';
export * from './lifecycle/index.js';
