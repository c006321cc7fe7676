package io.mcksim.machine;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.ihk.IhkParts;
import io.mcksim.ihk.Operator;
import io.mcksim.mckernel.SyscallTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node model as IHK's own tools see it: the scenario's nodes ({@link McKernelNodes}) with no
 * workload, each booting through its IHK side in virtual time. The admin shell drives them with the
 * partition off at start (everything owned by Linux until its commands come); the showcase's boot and a
 * node booted alone run the scenario's {@code mcreboot.sh}. The CPUs and memory IHK brings up are the
 * node's McKernel CPUs and memory partitions, so a node boots through the same verbs in the same time
 * here as under every workload.
 */
public final class IhkNodes {

  private IhkNodes() {}

  /**
   * The scenario's nodes with the partition off at start, for the admin shell.
   *
   * @param dumpFolder where {@code ihkosctl OS dump} writes (created on the first dump), or null: refused
   */
  public static HybridModel shell(Scenario s, Path dumpFolder) {
    return nodes(s, dumpFolder, s.machine().nodes()).withPartitionOff();
  }

  /** The scenario's nodes, each booting its partition at time 0 as {@code mcreboot.sh} does. */
  public static HybridModel booting(Scenario s) {
    return nodes(s, null, s.machine().nodes());
  }

  private static HybridModel nodes(Scenario s, Path dumpFolder, int count) {
    HybridModel m = McKernelNodes.of(s, List.of(), SyscallTable.named(s.workload().syscalls().table()))
        .withBoot(new IhkParts(s, dumpFolder), true);
    return count == 1 ? m : m.withNodes(count);
  }

  /** Boot times already computed, by what they depend on; a few entries per process (one per scenario). */
  private static final Map<List<Object>, Long> BOOTS = new ConcurrentHashMap<>();

  /** More boot times than any run or campaign needs: past it the cache starts again. */
  private static final int MAX_BOOTS = 1024;

  /**
   * Boots one node of the scenario alone, from everything owned by Linux, on the sequential engine: the
   * virtual time at which its {@code mcreboot.sh} had seen every instance RUNNING ({@link
   * Operator#readyAt()}). The same entities and job as every node that boots in a run, so the same time.
   * Computed once per node shape (its CPUs and memory, partition, OS and lifecycle costs) in a JVM.
   *
   * @throws IllegalStateException if the boot fails
   */
  public static long bootAloneNs(Scenario s) {
    List<Object> key = List.of(s.machine().cpus(), s.machine().numa(), s.partition(), s.os(), s.lifecycle());
    Long known = BOOTS.get(key);
    if (known != null) {
      return known;
    }
    long ns = bootAlone(s);
    if (BOOTS.size() >= MAX_BOOTS) {
      BOOTS.clear();
    }
    BOOTS.put(key, ns);
    return ns;
  }

  private static long bootAlone(Scenario s) {
    HybridModel one = nodes(s, null, 1);
    new SequentialEngine().run(one, RunSpec.until(Long.MAX_VALUE / 4, 1));
    Operator op = one.operator(0);
    if (op.readyAt() < 0) {
      throw new IllegalStateException("the node did not boot: " + String.join(" | ",
          op.drainConsole().stream().map(Operator.ConsoleLine::text).toList()) + "; seed " + s.run().seed());
    }
    return op.readyAt();
  }
}
