/** A small HTTP client for the identity service's tests. */
export interface ApiResponse<T> {
  status: number;
  body: T;
}

// Response bodies are whatever the endpoint under test returns; each test reads the parts it checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function apiClient(url: string) {
  return async function call(
    method: string, path: string, headers: Record<string, string>, body?: unknown, contentType = 'application/json',
  ): Promise<ApiResponse<Json>> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}
