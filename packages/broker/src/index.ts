export * from './lifecycle/index.js';
export * from './metadata-follower/index.js';
