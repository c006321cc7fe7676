package io.mcksim.ihk;

/**
 * An OS instance's status as IHK's driver keeps it. Users see the coarser states of
 * {@link #shown()}: INACTIVE, BOOTING, RUNNING, SHUTDOWN, PANIC, HUNGUP, FREEZING, FROZEN.
 */
public enum OsStatus {
  NOT_BOOTED("INACTIVE"),
  BOOTING("BOOTING"),
  BOOTED("BOOTING"),
  READY("BOOTING"),
  RUNNING("RUNNING"),
  FREEZING("FREEZING"),
  FROZEN("FROZEN"),
  SHUTDOWN("SHUTDOWN"),
  FAILED("PANIC"),
  HUNGUP("HUNGUP");

  private final String shown;

  OsStatus(String shown) {
    this.shown = shown;
  }

  /** The user-visible state, as {@code ihkosctl N get status} prints it. */
  public String shown() {
    return shown;
  }

  /** Between boot and running: BOOTING, BOOTED or READY. */
  public boolean booting() {
    return this == BOOTING || this == BOOTED || this == READY;
  }
}
