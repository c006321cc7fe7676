package io.mcksim.mckernel;

/** Where McKernel's syscall table sends a system call. */
public enum Dispatch {
  /** McKernel's own handler runs it; Linux is not involved. */
  LOCAL,
  /**
   * McKernel has a handler, but it serves only McKernel-internal file descriptors (such as a
   * perf_event_open descriptor) by itself; for any other descriptor the call also goes to Linux
   * through the proxy process.
   */
  HYBRID,
  /** No McKernel handler: generic forwarding to the proxy process, which runs the call on Linux. */
  OFFLOAD;

  /** Whether McKernel has a handler for the call ({@link #LOCAL} or {@link #HYBRID}). */
  public boolean hasLocalHandler() {
    return this != OFFLOAD;
  }
}
