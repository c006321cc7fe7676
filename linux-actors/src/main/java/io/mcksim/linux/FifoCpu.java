package io.mcksim.linux;

import io.mcksim.linux.noise.NoiseTimeline;

/**
 * A Linux CPU that runs the work it is handed one piece after another, in the order it arrives, its
 * noise preempting each piece; the state a {@link LinuxService} (and the BSP machine's Linux CPUs)
 * keep of the CPU they model.
 */
public final class FifoCpu {

  private final NoiseTimeline noise;
  private long free;
  private long jobs;
  private long busyNs;
  private long waitNs;

  /** @param noise the CPU's noise, or null for none */
  public FifoCpu(NoiseTimeline noise) {
    this.noise = noise;
  }

  /** Runs {@code workNs} that arrives at {@code now} once the CPU is free; returns when it is done. */
  public long run(long now, long workNs) {
    long begin = Math.max(now, free);
    free = noise == null ? begin + workNs : noise.finish(begin, workNs);
    busyNs += free - begin;
    waitNs += begin - now;
    jobs++;
    return free;
  }

  /**
   * The work queued or running at {@code now} is dropped (its service crashed): the CPU is free from
   * {@code now}, and the time it would have spent on that work is no longer counted busy.
   */
  public void drop(long now) {
    if (free > now) {
      busyNs -= free - now;
      free = now;
    }
  }

  public long jobs() {
    return jobs;
  }

  /** Time the CPU spent on work, noise included. */
  public long busyNs() {
    return busyNs;
  }

  /** Time work waited for the CPU, summed. */
  public long waitNs() {
    return waitNs;
  }
}
