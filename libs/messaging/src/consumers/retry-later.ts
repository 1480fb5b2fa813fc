/**
 * Thrown by a handler when an event arrived before one it depends on (events of separate consumers come in
 * either order): nothing is committed and the event comes back after the usual growing delay, without counting
 * as a failure. On the final attempt (`event.finalAttempt`) the handler must act with what it has instead.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
}
