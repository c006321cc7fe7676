package io.mcksim.config;

/**
 * The {@code costs.ikc} section, in ns.
 *
 * @param latency one packet from the writer's enqueue until the reader sees it (write plus notify)
 * @param ipi     the interrupt each packet raises, charged to the reader's CPU
 * @param credit  until a writer sees that the reader has freed a slot (it polls the read offset)
 */
public record IkcCostSettings(long latency, long ipi, long credit) {

  public IkcCostSettings {
    if (latency < 1 || credit < 1 || ipi < 0) {
      throw new IllegalArgumentException("IKC costs: latency and credit must be at least 1ns and ipi not"
          + " negative, got latency=" + latency + " ipi=" + ipi + " credit=" + credit);
    }
  }
}
