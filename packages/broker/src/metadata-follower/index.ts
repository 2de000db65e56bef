export {
  DEFAULT_PERSIST_INTERVAL_OFFSETS,
  type ImageListener,
  MetadataFollower,
  type MetadataFollowerOptions,
  PENDING_EVENTS_MAX,
  SNAPSHOT_BYTES_MAX,
} from './metadata-follower.js';
export { snapshotChanges } from './snapshot-changes.js';
export { readSnapshotFile, SNAPSHOT_FILE_NAME, writeSnapshotFile } from './snapshot-file.js';
