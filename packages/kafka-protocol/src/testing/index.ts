/**
 * Test support for packages that drive the Kafka codec (the broker's listener tests and fuzz suite):
 * values of any message derived from its definition. Built into dist/testing; imports fast-check,
 * which only tests load.
 */
export { arbitraryRequest, arbitraryResponse, arbitraryStruct } from './arbitraries.js';
