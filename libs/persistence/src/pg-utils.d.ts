// pg's own value conversion for parameters (what its Query binds with); pg ships no types for its lib/ files.
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): unknown;
}
