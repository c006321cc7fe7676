package io.mcksim.ihk;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.LifecycleCosts;

/**
 * The memory of one NUMA node that IHK has given to lightweight kernels. At boot an instance asks it to
 * initialise its share, which takes {@code boot-per-gib} per GiB.
 */
public final class MemoryPartition implements SimEntity {

  public record Init(long generation, int os, long bytes, int replyTo) implements IhkMessage {}

  public record Ready(long generation, int numa, long bytes) implements IhkMessage {}

  private final int numa;
  private final LifecycleCosts costs;

  public MemoryPartition(int numa, LifecycleCosts costs) {
    this.numa = numa;
    this.costs = costs;
  }

  /** Initialising {@code bytes} takes bytes in MiB x boot-per-gib / 1024 (bytes are 4 MiB units). */
  static long initTime(long bytes, LifecycleCosts costs) {
    return (bytes >> 20) * costs.bootPerGib() / 1024;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Init i) {
      ctx.send(i.replyTo(), initTime(i.bytes(), costs) + costs.message(), 0,
          new Ready(i.generation(), numa, i.bytes()));
    } else {
      throw new IllegalArgumentException("memory partition " + numa + " got an unknown message "
          + payload);
    }
  }
}
