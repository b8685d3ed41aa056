// crc-32 ships types for its CRC-32 entry only; its CRC-32C entry has the same functions.
declare module 'crc-32/crc32c' {
  /** CRC-32C of the bytes (a signed 32-bit integer: `>>> 0` for the unsigned value), continuing from `seed`. */
  export function buf(data: Uint8Array | number[], seed?: number): number;
}
