package io.mcksim.ihk;

/**
 * A management request IHK refuses: the tool's error number and a message that says what was wrong
 * and what would be accepted. A refused request changes nothing.
 */
public final class IhkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Errno errno;

  public IhkException(Errno errno, String message) {
    super(message);
    this.errno = errno;
  }

  public Errno errno() {
    return errno;
  }

  /** The way the tools print it: {@code error: <message>: <strerror> (<errno>)}. */
  public String toolMessage() {
    return getMessage() + ": " + errno.text() + " (" + errno.name() + ")";
  }
}
