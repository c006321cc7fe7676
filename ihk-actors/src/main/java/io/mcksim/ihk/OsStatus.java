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

  /**
   * Whether IHK's driver can take an instance from this status to {@code next} in one step: boot
   * (INACTIVE → BOOTING → RUNNING, or back to INACTIVE when it fails), a panic (→ PANIC) or a hang
   * (RUNNING → HUNGUP) and what follows them (→ SHUTDOWN → INACTIVE), freeze and thaw. Destroying an
   * instance ends it from any status and is no step.
   */
  public boolean canStepTo(OsStatus next) {
    return switch (this) {
      case NOT_BOOTED -> next == BOOTING;
      case BOOTING, BOOTED, READY -> next.booting() || next == RUNNING || next == NOT_BOOTED || next == FAILED
          || next == SHUTDOWN;
      case RUNNING -> next == FAILED || next == HUNGUP || next == SHUTDOWN || next == FREEZING;
      case FREEZING -> next == FROZEN || next == RUNNING || next == SHUTDOWN || next == FAILED;
      case FROZEN -> next == RUNNING || next == SHUTDOWN || next == FAILED;
      case SHUTDOWN -> next == NOT_BOOTED;
      case FAILED -> next == SHUTDOWN;
      case HUNGUP -> next == SHUTDOWN || next == FAILED;
    };
  }

  /** Between boot and running: BOOTING, BOOTED or READY. */
  public boolean booting() {
    return this == BOOTING || this == BOOTED || this == READY;
  }
}
