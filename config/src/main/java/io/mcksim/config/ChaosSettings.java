package io.mcksim.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code chaos} section: the job every node runs under McKernel, how IHK and the job recover from
 * a fault, the Linux-side work that must go on undisturbed, and the faults: scheduled ones (at a
 * virtual time, on a target) and probabilistic sites (each run arms a site with probability
 * {@code enable}; an armed site fires at each of its opportunities with probability {@code fire}).
 */
public record ChaosSettings(Job job, Reboot reboot, long monitorIntervalNs, long linuxWorkNs,
    long serviceRestartNs, List<Fault> faults, Map<String, Site> sites) {

  /** Every fault kind, as scenarios name them. */
  public static final List<String> KINDS = List.of("lwk-panic", "lwk-hang", "boot-failure", "ikc-drop",
      "ikc-delay", "ikc-duplicate", "ikc-clog", "proxy-death", "service-crash", "memory-exhaustion", "node-loss",
      "signal");

  /** The job policies: end the job, run it again from the start, or from its last checkpoint. */
  public static final List<String> JOB_POLICIES = List.of("fail", "requeue", "restart");

  public ChaosSettings {
    faults = List.copyOf(faults);
    sites = Map.copyOf(sites);
  }

  /**
   * The synthetic job, one McKernel process per node, one thread per McKernel CPU: each iteration computes
   * {@code quantumNs}, then makes one offloaded call, which costs what every offload of it costs; and
   * for every job, the time limit of a launch, the policy after a failed one and how many times at most
   * the job is launched again ({@code maxRequeues}).
   */
  public record Job(int threads, int iterations, long quantumNs, int checkpointInterval,
      long checkpointNs, long timeLimitNs, String policy, int maxRequeues) {}

  /** IHK reboots a failed LWK: never, or on failure up to {@code max} times, {@code backoffNs} after it. */
  public record Reboot(String policy, int max, long backoffNs) {}

  /** A fault at a virtual time. {@code durationNs}: how long a delay, clog, outage or exhaustion lasts. */
  public record Fault(long atNs, String kind, Target target, long durationNs) {}

  /** Where a fault strikes: node, OS instance and McKernel CPU index; {@link #ALL} or {@link #DRAWN}. */
  public record Target(int node, int os, int cpu) {
    /** {@code *}: every match. */
    public static final int ALL = -1;
    /** {@code ?}: one drawn from the run's seed. */
    public static final int DRAWN = -2;
  }

  /** A probabilistic fault site. */
  public record Site(double enable, double fire, long durationNs) {}
}
