/**
 * Test support for code that stores data through the log's file layer (`@tributary/log/testing`): a
 * simulated disk with a page cache that loses what was not fsynced on a simulated power loss.
 */
export {
  type CrashOptions,
  type DiskCounters,
  type DiskFault,
  type DiskFaultCode,
  type DiskOperation,
  diskError,
  SimulatedDisk,
} from './simulated-disk.js';
