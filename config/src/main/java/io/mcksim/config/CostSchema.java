package io.mcksim.config;

import java.util.Set;

/**
 * Reads the {@code costs} section: what each step of the simulated kernels takes, one group at a time
 * (IHK's lifecycle, IKC, an offloaded call, local and Linux syscalls, McKernel's own, a launch, a remote
 * page fault).
 */
final class CostSchema {

  private CostSchema() {}

  static LifecycleCosts lifecycle(ConfigReader r) {
    return new LifecycleCosts(
        r.duration("costs.lifecycle.message", 1),
        r.duration("costs.lifecycle.boot-base", 0),
        r.duration("costs.lifecycle.boot-per-cpu", 0),
        r.duration("costs.lifecycle.boot-per-gib", 0),
        r.duration("costs.lifecycle.shutdown-base", 0),
        r.duration("costs.lifecycle.shutdown-per-cpu", 0));
  }

  static IkcCostSettings ikc(ConfigReader r) {
    return new IkcCostSettings(
        r.duration("costs.ikc.latency", 1),
        r.duration("costs.ikc.ipi", 0),
        r.duration("costs.ikc.credit", 1));
  }

  static OffloadCosts offload(ConfigReader r) {
    return new OffloadCosts(
        r.duration("costs.offload.marshal", 0),
        r.duration("costs.offload.ikc-enqueue", 0),
        r.duration("costs.offload.mcctrl-dispatch", 1),
        r.duration("costs.offload.proxy-wakeup", 0),
        r.duration("costs.offload.reply-write", 1),
        r.duration("costs.offload.resume", 0));
  }

  static SyscallCosts syscalls(ConfigReader r) {
    return new SyscallCosts(
        r.duration("costs.syscall.local-default", 0),
        r.durations("costs.syscall.local"),
        r.duration("costs.syscall.linux-entry", 0),
        r.duration("costs.syscall.linux-default", 0),
        r.durations("costs.syscall.linux"),
        r.duration("costs.syscall.linux-page-fault", 0));
  }

  /** McKernel's own costs; a tick must cost less than the interval between ticks. */
  static McKernelCosts mckernel(ConfigReader r) {
    long tickInterval = r.duration("costs.mckernel.tick-interval", 1);
    long tickCost = r.duration("costs.mckernel.tick-cost", 0);
    if (tickCost >= tickInterval) {
      r.bad("costs.mckernel.tick-cost", "a tick must cost less than the tick interval ("
          + tickInterval + "ns), got " + tickCost + "ns");
      tickCost = 0;
    }
    String largest = r.oneOf("costs.mckernel.largest-page", Set.of("4K", "2M", "1G"));
    long largestPage = "1G".equals(largest) ? McKernelCosts.PAGE_1G
        : "2M".equals(largest) ? McKernelCosts.PAGE_2M : McKernelCosts.PAGE_4K;
    return new McKernelCosts(tickInterval, tickCost,
        r.duration("costs.mckernel.page-fault", 0), r.intIn("costs.mckernel.clock-mhz", 1, 100_000),
        largestPage, r.duration("costs.mckernel.page-clear", 0));
  }

  static LaunchCosts launch(ConfigReader r) {
    return new LaunchCosts(
        r.duration("costs.launch.mcexec", 1),
        r.duration("costs.launch.prepare", 0),
        r.duration("costs.launch.schedule", 1));
  }

  static RemoteFaultCosts remoteFault(ConfigReader r) {
    return new RemoteFaultCosts(
        r.duration("costs.remote-fault.request", 1),
        r.duration("costs.remote-fault.resolve", 2),
        r.duration("costs.remote-fault.map", 1));
  }
}
