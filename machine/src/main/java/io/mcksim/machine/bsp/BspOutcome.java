package io.mcksim.machine.bsp;

import io.mcksim.actors.serialization.SimMessage;

/**
 * What a BSP run gave: when the last rank was released from each iteration, the noise the application
 * CPUs suffered, and the offload traffic. It travels from worker JVMs to the coordinator (Kryo id
 * 6000).
 *
 * @param iterationEndNs per iteration, the latest release of any rank
 * @param stolenNs       time noise took from the application CPUs, summed
 * @param offloads       offloaded calls made
 * @param linuxBusyNs    time the Linux CPUs spent on offloaded calls (noise included)
 * @param unfinished     threads that did not get through every iteration (0 unless the run was cut)
 * @param calls          calls made
 * @param failedCalls    calls that failed because the OS model does not have them (ENOSYS)
 */
public record BspOutcome(long[] iterationEndNs, long stolenNs, long offloads, long linuxBusyNs,
    long unfinished, long calls, long failedCalls, long startNs) implements SimMessage {

  /** An outcome whose application started at time 0. */
  public BspOutcome(long[] iterationEndNs, long stolenNs, long offloads, long linuxBusyNs, long unfinished,
      long calls, long failedCalls) {
    this(iterationEndNs, stolenNs, offloads, linuxBusyNs, unfinished, calls, failedCalls, 0);
  }

  /**
   * Both parts of one machine together: each iteration ends at the later end, the application starts
   * at the later start, the rest adds up.
   */
  BspOutcome plus(BspOutcome other) {
    long[] ends = iterationEndNs.clone();
    for (int i = 0; i < ends.length; i++) {
      ends[i] = Math.max(ends[i], other.iterationEndNs[i]);
    }
    return new BspOutcome(ends, stolenNs + other.stolenNs, offloads + other.offloads,
        linuxBusyNs + other.linuxBusyNs, unfinished + other.unfinished, calls + other.calls,
        failedCalls + other.failedCalls, Math.max(startNs, other.startNs));
  }

  /** From the application's start to the last rank's release from its last iteration. */
  public long runtimeNs() {
    return iterationEndNs[iterationEndNs.length - 1] - startNs;
  }

  /** Each iteration's time: from the previous one's last release (or the start) to its own. */
  public long[] iterationNs() {
    long[] out = new long[iterationEndNs.length];
    long prev = startNs;
    for (int i = 0; i < out.length; i++) {
      out[i] = iterationEndNs[i] - prev;
      prev = iterationEndNs[i];
    }
    return out;
  }
}
