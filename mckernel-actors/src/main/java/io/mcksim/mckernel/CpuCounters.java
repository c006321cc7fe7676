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
 * <p>An idle CPU holds its common counts only: the logs, the counts of what few CPUs of a big machine
 * do (calls that fail, page faults, wake-ups, /proc answers), the latency map beyond the first call name
 * and the performance counters are made on first use ({@link Rare}).
 */
final class CpuCounters {

  /** What the performance counters count, in this order. */
  static final List<String> PMC_EVENTS = List.of("cycles", "local_syscalls", "offloaded_syscalls",
      "page_faults", "ikc_packets", "noise_ns");

  private final McKernelCosts mckernel;
  long localCalls;
  long offloadedCalls;
  /** IKC packets this CPU took (a wake-up counts as one). */
  long packets;
  long tickNs;
  long irqNs;
  long spinNs;
  /**
   * Latencies by call name: the first name a CPU logs in two fields (a BSP thread's CPU logs one
   * call, and there are millions of such CPUs), any others in a map ({@link Rare#latencies}).
   */
  private String firstCall;
  private LatencyLog firstLatencies;
  private LatencyLog computeTimes;
  /** What few CPUs count, made on first use. */
  private Rare rare;

  /** What few CPUs of a big machine count or log. */
  private static final class Rare {
    /** Calls the kernel does not have (ENOSYS). */
    long failedCalls;
    long pageFaults;
    long wakeUps;
    long procfsAnswers;
    /** The counters as the last stop left them (null: all 0). */
    long[] pmc;
    /** The totals when counting last started (null while stopped). */
    long[] pmcBase;
    /** Latencies of the call names after the first. */
    Map<String, LatencyLog> latencies;
    LatencyLog ftqCounts;
  }

  private Rare rare() {
    if (rare == null) {
      rare = new Rare();
    }
    return rare;
  }

  /** A call failed: the kernel does not have it (ENOSYS). */
  void failedCall() {
    rare().failedCalls++;
  }

  long failedCalls() {
    return rare == null ? 0 : rare.failedCalls;
  }

  /** Demand page faults taken. */
  void pageFaults(long faults) {
    if (faults != 0) {
      rare().pageFaults += faults;
    }
  }

  long pageFaults() {
    return rare == null ? 0 : rare.pageFaults;
  }

  /** An offloaded call's sleeping thread was woken over IKC. */
  void wakeUp() {
    rare().wakeUps++;
  }

  long wakeUps() {
    return rare == null ? 0 : rare.wakeUps;
  }

  /** A /proc or /sys view read was answered. */
  void procfsAnswer() {
    rare().procfsAnswers++;
  }

  long procfsAnswers() {
    return rare == null ? 0 : rare.procfsAnswers;
  }

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
    Rare r = rare();
    if (r.latencies == null) {
      r.latencies = new TreeMap<>();
    }
    r.latencies.computeIfAbsent(name, k -> new LatencyLog()).add(ns);
  }

  /** A computation took {@code ns}, ticks and interrupts included. */
  void computed(long ns) {
    computeTimes().add(ns);
  }

  /** {@code times} computations of {@code ns} each, one after another. */
  void computed(long ns, long times) {
    computeTimes().add(ns, times);
  }

  /** The latencies by call name, in name order. */
  Map<String, LatencyLog> latencies() {
    if (firstCall == null) {
      return Map.of();
    }
    TreeMap<String, LatencyLog> all = rare == null || rare.latencies == null ? new TreeMap<>()
        : new TreeMap<>(rare.latencies);
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
    Rare r = rare();
    if (r.ftqCounts == null) {
      r.ftqCounts = new LatencyLog();
    }
    return r.ftqCounts;
  }

  /**
   * A performance-counter call at {@code now}: {@code pmc_init} clears the counters and stops counting,
   * {@code pmc_start} counts from now, {@code pmc_stop} adds what happened since the start,
   * {@code pmc_reset} clears them (and goes on counting if counting). A call counts from its start.
   */
  void performanceCounters(long now, String name) {
    Rare r = rare();
    switch (name) {
      case "pmc_init" -> {
        r.pmc = null;
        r.pmcBase = null;
      }
      case "pmc_start" -> {
        if (r.pmcBase == null) {
          r.pmcBase = totals(now);
        }
      }
      case "pmc_stop" -> {
        if (r.pmcBase != null) {
          long[] t = totals(now);
          if (r.pmc == null) {
            r.pmc = new long[PMC_EVENTS.size()];
          }
          for (int i = 0; i < r.pmc.length; i++) {
            r.pmc[i] += i == 0 ? mckernel.cycles(t[0] - r.pmcBase[0]) : t[i] - r.pmcBase[i];
          }
          r.pmcBase = null;
        }
      }
      case "pmc_reset" -> {
        r.pmc = null;
        if (r.pmcBase != null) {
          r.pmcBase = totals(now);
        }
      }
      default -> throw new IllegalArgumentException("unknown performance-counter call " + name);
    }
  }

  /** The performance counters as the last {@code pmc_stop} left them, in {@link #PMC_EVENTS} order. */
  long[] performanceCounters() {
    return rare == null || rare.pmc == null ? new long[PMC_EVENTS.size()] : rare.pmc.clone();
  }

  /** What the counters count, as totals since time 0 (time for cycles). */
  private long[] totals(long now) {
    return new long[] {now, localCalls, offloadedCalls, pageFaults(), packets, irqNs + tickNs};
  }
}
