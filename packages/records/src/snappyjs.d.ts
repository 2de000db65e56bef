/** Types for snappyjs (it ships none), used only by tests as an independent snappy implementation. */
declare module 'snappyjs' {
  /** Raw snappy block in, plain bytes out (same type as the input); throws past maxLength. */
  export function uncompress<T extends Uint8Array>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array>(uncompressed: T): T;
}
