export * from './metadata-follower/index.js';
