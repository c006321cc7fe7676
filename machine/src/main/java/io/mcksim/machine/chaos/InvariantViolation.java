package io.mcksim.machine.chaos;

/**
 * An invariant of a chaos run does not hold: which one, where, at what virtual time, and the last
 * events of the entities involved. It ends the run; the seed replays it.
 */
public final class InvariantViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String invariant;
  private final long timeNs;
  private final String detail;

  InvariantViolation(String invariant, long timeNs, String detail) {
    super(invariant + " at " + timeNs + " ns: " + detail);
    this.invariant = invariant;
    this.timeNs = timeNs;
    this.detail = detail;
  }

  public String invariant() {
    return invariant;
  }

  public long timeNs() {
    return timeNs;
  }

  public String detail() {
    return detail;
  }
}
