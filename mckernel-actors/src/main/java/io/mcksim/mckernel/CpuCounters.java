package io.mcksim.mckernel;

import io.mcksim.config.McKernelCosts;
import io.mcksim.workloads.LatencyLog;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one McKernel CPU counts and logs: calls made locally and offloaded, IKC packets taken, page
 * faults, wake-ups, /proc answers, the time the tick, interrupt handlers and spinning took; per
 * syscall name the latency of each call; each computation's length and each FTQ quantum's work; and
 * McKernel's performance counters ({@code pmc_init}, {@code pmc_start}, {@code pmc_stop},
 * {@code pmc_reset}) over them.
 *
 * <p>An idle CPU holds its counts only: the logs, the latency map and the performance counters are
 * made on first use.
 */
final class CpuCounters {

  /** What the performance counters count, in this order. */
  static final List<String> PMC_EVENTS = List.of("cycles", "local_syscalls", "offloaded_syscalls",
      "page_faults", "ikc_packets", "noise_ns");

  private final McKernelCosts mckernel;
  long localCalls;
  long offloadedCalls;
  /** Calls the kernel does not have (ENOSYS). */
  long failedCalls;
  /** IKC packets this CPU took (a wake-up counts as one). */
  long packets;
  long pageFaults;
  long wakeUps;
  long procfsAnswers;
  long tickNs;
  long irqNs;
  long spinNs;
  /** The counters as the last stop left them (null: all 0). */
  private long[] pmc;
  /** The totals when counting last started (null while stopped). */
  private long[] pmcBase;
  /**
   * Latencies by call name: the first name a CPU logs in two fields (a BSP thread's CPU logs one
   * call, and there are millions of such CPUs), any others in a map.
   */
  private String firstCall;
  private LatencyLog firstLatencies;
  private Map<String, LatencyLog> latencies;
  private LatencyLog computeTimes;
  private LatencyLog ftqCounts;

  CpuCounters(McKernelCosts mckernel) {
    this.mckernel = mckernel;
  }

  /** A call of {@code name} took {@code ns}, from its issue until the thread was back in user space. */
  void latency(String name, long ns) {
    if (firstCall == null) {
      firstCall = name;
      firstLatencies = new LatencyLog();
    }
    if (firstCall.equals(name)) {
      firstLatencies.add(ns);
      return;
    }
    if (latencies == null) {
      latencies = new TreeMap<>();
    }
    latencies.computeIfAbsent(name, k -> new LatencyLog()).add(ns);
  }

  /** A computation took {@code ns}, ticks and interrupts included. */
  void computed(long ns) {
    computeTimes().add(ns);
  }

  /** The latencies by call name, in name order. */
  Map<String, LatencyLog> latencies() {
    if (firstCall == null) {
      return Map.of();
    }
    TreeMap<String, LatencyLog> all = latencies == null ? new TreeMap<>() : new TreeMap<>(latencies);
    all.put(firstCall, firstLatencies);
    return java.util.Collections.unmodifiableSortedMap(all);
  }

  /** The computations' log (made now if there is none yet: a caller may feed it before the run). */
  LatencyLog computeTimes() {
    if (computeTimes == null) {
      computeTimes = new LatencyLog();
    }
    return computeTimes;
  }

  /** The FTQ quanta's log (made now if there is none yet). */
  LatencyLog ftqCounts() {
    if (ftqCounts == null) {
      ftqCounts = new LatencyLog();
    }
    return ftqCounts;
  }

  /**
   * A performance-counter call at {@code now}: {@code pmc_init} clears the counters and stops counting,
   * {@code pmc_start} counts from now, {@code pmc_stop} adds what happened since the start,
   * {@code pmc_reset} clears them (and goes on counting if counting). A call counts from its start.
   */
  void performanceCounters(long now, String name) {
    switch (name) {
      case "pmc_init" -> {
        pmc = null;
        pmcBase = null;
      }
      case "pmc_start" -> {
        if (pmcBase == null) {
          pmcBase = totals(now);
        }
      }
      case "pmc_stop" -> {
        if (pmcBase != null) {
          long[] t = totals(now);
          if (pmc == null) {
            pmc = new long[PMC_EVENTS.size()];
          }
          for (int i = 0; i < pmc.length; i++) {
            pmc[i] += i == 0 ? mckernel.cycles(t[0] - pmcBase[0]) : t[i] - pmcBase[i];
          }
          pmcBase = null;
        }
      }
      case "pmc_reset" -> {
        pmc = null;
        if (pmcBase != null) {
          pmcBase = totals(now);
        }
      }
      default -> throw new IllegalArgumentException("unknown performance-counter call " + name);
    }
  }

  /** The performance counters as the last {@code pmc_stop} left them, in {@link #PMC_EVENTS} order. */
  long[] performanceCounters() {
    return pmc == null ? new long[PMC_EVENTS.size()] : pmc.clone();
  }

  /** What the counters count, as totals since time 0 (time for cycles). */
  private long[] totals(long now) {
    return new long[] {now, localCalls, offloadedCalls, pageFaults, packets, irqNs + tickNs};
  }
}
