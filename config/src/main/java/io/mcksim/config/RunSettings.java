package io.mcksim.config;

/**
 * The {@code run} section: how a scenario is executed.
 *
 * @param threads 0 means one per available core; resolved by whoever starts the engine
 * @param boot    how each node starts: {@link #SIMULATE} (it boots through IHK in virtual time before
 *                its workload) or {@link #BOOTED} (already booted; the boot's cost is computed once)
 */
public record RunSettings(long seed, long endTimeNs, String engine, int threads, String boot) {

  /** Every node boots McKernel through IHK's verbs in virtual time before its workload starts. */
  public static final String SIMULATE = "simulate";

  /** The nodes start already booted; the cost of a boot is computed once, on one node alone. */
  public static final String BOOTED = "booted";

  /** Whether every node boots in virtual time before its workload ({@code run.boot = simulate}). */
  public boolean simulateBoot() {
    return boot.equals(SIMULATE);
  }
}
