package io.mcksim.ihk;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.LifecycleCosts;

/**
 * One physical CPU of a node, as the lightweight kernel uses it once IHK has assigned it: brought up
 * at boot ({@code boot-per-cpu}), stopped at shutdown ({@code shutdown-per-cpu}).
 */
public final class LwkCpu implements SimEntity {

  /** Bring this CPU up as McKernel CPU {@code index} of OS {@code os}; {@code fail} injects a fault. */
  public record BringUp(long generation, int os, int index, boolean fail, int replyTo)
      implements IhkMessage {}

  public record Online(long generation, int cpu, int index) implements IhkMessage {}

  public record Failed(long generation, int cpu, int index, String reason) implements IhkMessage {}

  public record Stop(long generation, int replyTo) implements IhkMessage {}

  public record Stopped(long generation, int cpu) implements IhkMessage {}

  private final int cpu;
  private final LifecycleCosts costs;
  /** The OS instance this CPU runs for, or -1. */
  private int os = -1;

  public LwkCpu(int cpu, LifecycleCosts costs) {
    this.cpu = cpu;
    this.costs = costs;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof BringUp b) {
      long delay = costs.bootPerCpu() + costs.message();
      if (b.fail()) {
        ctx.send(b.replyTo(), delay, 0, new Failed(b.generation(), cpu, b.index(),
            "no response to the startup IPI (injected fault)"));
      } else {
        os = b.os();
        ctx.send(b.replyTo(), delay, 0, new Online(b.generation(), cpu, b.index()));
      }
    } else if (payload instanceof Stop s) {
      os = -1;
      ctx.send(s.replyTo(), costs.shutdownPerCpu() + costs.message(), 0, new Stopped(s.generation(), cpu));
    } else {
      throw new IllegalArgumentException("CPU " + cpu + " got an unknown message " + payload);
    }
  }

  /** The OS instance this CPU currently runs for, or -1. */
  public int os() {
    return os;
  }
}
