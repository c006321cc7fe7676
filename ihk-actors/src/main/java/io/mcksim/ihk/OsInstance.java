package io.mcksim.ihk;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.LifecycleCosts;
import io.mcksim.config.MemorySpec;
import java.util.List;
import java.util.Locale;

/**
 * One OS-instance slot of a node ({@code /dev/mcosN}): the lightweight kernel's side of boot, shutdown
 * and freeze. Booting, it initialises its memory partitions one NUMA node after another, then brings
 * up its CPUs one after another, writing the boot log to kmsg as it goes; every step is a message to
 * the lightweight kernel's own CPU or memory-partition entity ({@link Lwk}) and back, so a boot takes exactly
 *
 * <pre>
 *   message + boot-base
 *   + sum over NUMA nodes with memory (2 x message + MiB x boot-per-gib / 1024)
 *   + sum over CPUs (2 x message + boot-per-cpu)
 *   + message   (the report to the master, which then shows RUNNING)
 * </pre>
 *
 * A CPU that fails to come up ends the boot: the reason goes to kmsg and the master shows INACTIVE,
 * the resources still assigned.
 *
 * <p>On the node model the instance supervises its McKernel CPUs and memory partitions (the engine's
 * supervision, {@code escalate}): a CPU's panic is the instance's failure, and so is a hang ihkmond
 * reports ({@link Hung}); IHK's master supervises the instance and reboots it by its policy. Shutdown stops the CPUs one after another after {@code shutdown-base}.
 */
public final class OsInstance implements SimEntity {

  /** Boot with these CPUs (McKernel order), memory per NUMA node and kernel arguments. */
  public record Boot(long generation, List<Integer> cpus, List<Long> memory, String kargs,
      int failCpu) implements IhkMessage {}

  /** Shut down: stop these CPUs. */
  public record Shutdown(long generation, List<Integer> cpus) implements IhkMessage {}

  /** Freeze: stop every CPU where it stands. */
  public record Freeze(long generation) implements IhkMessage {}

  /**
   * ihkmond found McKernel CPU {@code index} of this instance hung (its monitor word in the kernel with a
   * counter that no longer moves): the instance fails, HUNGUP, and its supervisor (IHK's master) applies
   * its reboot policy.
   */
  public record Hung(int index) implements IhkMessage {}

  /** The cause of a failure IHK's master reads as HUNGUP; any other cause is a PANIC. */
  public static final String HUNG_CAUSE = "HUNGUP: ";

  /** The instance was destroyed by force: drop whatever was in progress. */
  public record Abandon(long generation) implements IhkMessage {}

  /** The fixed part of a boot is over: initialise memory, then CPUs. */
  private record BootBaseDone(long generation) implements IhkMessage {}

  /** The fixed part of a shutdown is over: stop the CPUs. */
  private record ShutdownBaseDone(long generation) implements IhkMessage {}

  private final int node;
  private final int os;
  private final NodeLayout layout;
  private final LifecycleCosts costs;

  private long generation;
  private Boot boot;
  private Shutdown shutdown;
  /** Boot: next NUMA node to initialise, then next CPU index to bring up. */
  private int nextNuma;
  private int nextCpu;

  public OsInstance(int node, int os, NodeLayout layout, LifecycleCosts costs) {
    this.node = node;
    this.os = os;
    this.layout = layout;
    this.costs = costs;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Boot b) {
      generation = b.generation();
      boot = b;
      shutdown = null;
      nextNuma = 0;
      nextCpu = 0;
      kmsg(ctx, "IHK/McKernel started.");
      kmsg(ctx, "kernel arguments: " + b.kargs());
      ctx.send(ctx.self(), costs.bootBase(), 0, new BootBaseDone(generation));
    } else if (payload instanceof BootBaseDone d) {
      if (d.generation() == generation && boot != null) {
        initNextNuma(ctx);
      }
    } else if (payload instanceof ShutdownBaseDone d) {
      if (d.generation() == generation && shutdown != null) {
        stopNextCpu(ctx);
      }
    } else if (payload instanceof Lwk.Ready r) {
      if (r.generation() == generation && boot != null) {
        kmsg(ctx, String.format(Locale.ROOT, "NUMA %d: %s of memory initialised", r.numa(),
            MemorySpec.format(r.bytes())));
        initNextNuma(ctx);
      }
    } else if (payload instanceof Lwk.Online o) {
      if (o.generation() == generation && boot != null) {
        kmsg(ctx, "CPU " + o.index() + " (physical CPU " + o.cpu() + ") online");
        bringUpNextCpu(ctx);
      }
    } else if (payload instanceof Lwk.Failed f) {
      if (f.generation() == generation && boot != null) {
        failBoot(ctx, f.index(), f.cpu(), f.reason());
      }
    } else if (payload instanceof Shutdown s) {
      generation = s.generation();
      boot = null;
      shutdown = s;
      nextCpu = 0;
      kmsg(ctx, "shutdown requested");
      ctx.send(ctx.self(), costs.shutdownBase(), 0, new ShutdownBaseDone(generation));
    } else if (payload instanceof Lwk.Stopped st) {
      if (st.generation() == generation && shutdown != null) {
        stopNextCpu(ctx);
      }
    } else if (payload instanceof Freeze f) {
      generation = f.generation();
      ctx.send(layout.master(node), costs.message(), 0, new IhkMaster.Frozen(os, generation));
    } else if (payload instanceof Hung h) {
      ctx.crash(HUNG_CAUSE + "McKernel CPU " + h.index() + " of OS " + os + " makes no progress");
    } else if (payload instanceof Abandon a) {
      generation = a.generation();
      boot = null;
      shutdown = null;
    } else {
      throw new IllegalArgumentException("OS instance " + os + " of node " + node
          + " got an unknown message " + payload);
    }
  }

  private void initNextNuma(SimContext ctx) {
    List<Long> memory = boot.memory();
    while (nextNuma < memory.size() && memory.get(nextNuma) == 0) {
      nextNuma++;
    }
    if (nextNuma < memory.size()) {
      int n = nextNuma++;
      ctx.send(layout.numa(node, os, n), costs.message(), 0,
          new Lwk.Init(generation, os, memory.get(n), ctx.self()));
      return;
    }
    bringUpNextCpu(ctx);
  }

  private void bringUpNextCpu(SimContext ctx) {
    List<Integer> cpus = boot.cpus();
    if (nextCpu < cpus.size()) {
      int index = nextCpu++;
      int cpu = layout.cpu(node, os, index, cpus.get(index));
      if (cpu < 0) {
        failBoot(ctx, index, cpus.get(index), "the node has no McKernel CPU there (the scenario's"
            + " partition.instances does not give it one)");
        return;
      }
      ctx.send(cpu, costs.message(), 0,
          new Lwk.BringUp(generation, os, index, index == boot.failCpu(), ctx.self()));
      return;
    }
    kmsg(ctx, "McKernel booted.");
    boot = null;
    ctx.send(layout.master(node), costs.message(), 0, new IhkMaster.BootResult(os, generation, true));
  }

  /** CPU {@code index} (physical {@code cpu}) did not come up: the boot ends, INACTIVE. */
  private void failBoot(SimContext ctx, int index, int cpu, String reason) {
    kmsg(ctx, "CPU " + index + " (physical CPU " + cpu + ") failed to come up: " + reason);
    kmsg(ctx, "boot failed");
    boot = null;
    ctx.send(layout.master(node), costs.message(), 0, new IhkMaster.BootResult(os, generation, false));
  }

  private void stopNextCpu(SimContext ctx) {
    List<Integer> cpus = shutdown.cpus();
    if (nextCpu < cpus.size()) {
      int index = nextCpu++;
      int cpu = layout.cpu(node, os, index, cpus.get(index));
      if (cpu < 0) {
        // a CPU that never came up has nothing to stop
        stopNextCpu(ctx);
        return;
      }
      ctx.send(cpu, costs.message(), 0, new Lwk.Stop(generation, ctx.self()));
      return;
    }
    shutdown = null;
    ctx.send(layout.master(node), costs.message(), 0, new IhkMaster.ShutdownDone(os, generation));
  }

  private void kmsg(SimContext ctx, String line) {
    long ns = ctx.now();
    String stamped = String.format(Locale.ROOT, "[%5d.%06d] %s", ns / 1_000_000_000L,
        (ns / 1_000) % 1_000_000, line);
    ctx.send(layout.master(node), costs.message(), 0, new IhkMaster.Kmsg(os, stamped));
  }
}
