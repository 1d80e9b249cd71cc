/** The failures of the IMAP transport: a server that cannot be reached or refuses us. All retryable by the next poll. */
export class ImapError extends Error {
  override readonly name = 'ImapError';
  constructor(
    message: string,
    /** Login refused: a wrong password does not heal by itself, but the next poll tries again (it may have been changed). */
    readonly authenticationFailed: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
