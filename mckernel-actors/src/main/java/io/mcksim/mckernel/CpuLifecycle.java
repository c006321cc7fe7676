package io.mcksim.mckernel;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.config.LifecycleCosts;
import io.mcksim.ihk.Lwk;

/**
 * One McKernel CPU as IHK brings it up and stops it ({@link Lwk}): the CPU an OS instance boots is this
 * McKernel CPU, not a copy of it. Bringing it up ({@link Lwk.BringUp}) takes {@code boot-per-cpu} and
 * answers {@link Lwk.Online} (or {@link Lwk.Failed} at an injected fault), and a CPU IHK had stopped runs
 * again; stopping it ({@link Lwk.Stop}, the instance's shutdown) takes {@code shutdown-per-cpu}, halts it
 * ({@link CpuHealth}) and answers {@link Lwk.Stopped}. Lifecycle messages are handled whatever the CPU's
 * state: a panicked or hung CPU is still stopped by the shutdown that follows.
 */
final class CpuLifecycle {

  private final McKernelCpu cpu;
  /** The scenario's lifecycle costs, or null: the CPU is not on a node that IHK boots. */
  LifecycleCosts costs;
  /** The physical CPU this McKernel CPU runs on. */
  int physical = -1;

  CpuLifecycle(McKernelCpu cpu) {
    this.cpu = cpu;
  }

  /** Whether {@code payload} was a lifecycle message, now handled. */
  boolean handles(SimContext ctx, Object payload) {
    if (payload instanceof Lwk.BringUp b) {
      if (b.fail()) {
        ctx.send(b.replyTo(), Lwk.bringUpTime(costs()), 0,
            new Lwk.Failed(b.generation(), physical, b.index(), Lwk.INJECTED_FAILURE));
      } else {
        cpu.health.bringUp();
        ctx.send(b.replyTo(), Lwk.bringUpTime(costs()), 0, new Lwk.Online(b.generation(), physical, b.index()));
      }
      return true;
    }
    if (payload instanceof Lwk.Stop s) {
      cpu.health.halt();
      ctx.send(s.replyTo(), Lwk.stopTime(costs()), 0, new Lwk.Stopped(s.generation(), physical));
      return true;
    }
    return false;
  }

  private LifecycleCosts costs() {
    if (costs == null) {
      throw new IllegalStateException("McKernel CPU " + cpu.index + " is on a node IHK does not boot");
    }
    return costs;
  }
}
