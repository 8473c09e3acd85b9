/** An HRIS API call failed (unreachable, refused, unexpected answer); the message names the call and the fix. */
export class HrisApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "HrisApiError";
  }
}
