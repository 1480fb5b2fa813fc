// html-to-text 10 ships no types (and @types/html-to-text lags behind); only `convert` is used.
declare module 'html-to-text' {
  export function convert(html: string, options?: Record<string, unknown>): string;
}
