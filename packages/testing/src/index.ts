export {
  EMBEDDED_LIMITS,
  type EmbeddedCluster,
  type EmbeddedClusterOptions,
  type EmbeddedTopic,
  startEmbeddedCluster,
} from './embedded-cluster.js';
