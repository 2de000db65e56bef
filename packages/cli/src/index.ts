export type { CliDecoders, CliIo, DecodedRecord } from './io.js';
export { buildProgram, DEFAULT_CONTROLLERS, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './program.js';
