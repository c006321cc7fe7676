package io.mcksim.ihk;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.CpuList;
import io.mcksim.config.LifecycleCosts;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IHK side of every node of a scenario, made one way for every model that has it: the operator,
 * the IHK master, the OS-instance slots, the CPUs as the lightweight kernel brings them up and its
 * memory on each NUMA node, all with the scenario's lifecycle costs ({@code costs.lifecycle}), and the
 * job that boots the scenario's partition as {@code mcreboot.sh} does. The admin shell and the
 * showcase's boot ({@link IhkModel}) and the node model every workload runs on build their IHK entities
 * here, so a node boots through the same verbs in the same time wherever it boots.
 */
public final class IhkParts {

  private final Scenario scenario;
  /** Where {@code ihkosctl OS dump} writes, or null: dumps are refused. */
  private final Path dumpFolder;

  /** The IHK side of the scenario's nodes, without a dump folder. */
  public IhkParts(Scenario scenario) {
    this(scenario, null);
  }

  /** @param dumpFolder where {@code ihkosctl OS dump} writes (created on the first dump), or null */
  public IhkParts(Scenario scenario, Path dumpFolder) {
    this.scenario = scenario;
    this.dumpFolder = dumpFolder;
  }

  public Scenario scenario() {
    return scenario;
  }

  public LifecycleCosts costs() {
    return scenario.lifecycle();
  }

  /** OS-instance slots per node ({@code os.max-instances}). */
  public int maxInstances() {
    return scenario.os().maxInstances();
  }

  /** CPUs per node. */
  public int cpus() {
    return scenario.machine().cpus();
  }

  public int numaNodes() {
    return scenario.machine().numa().size();
  }

  /** The CPUs the partition's instances boot, ascending: the only ones a boot of the partition reaches. */
  public int[] partitionCpus() {
    CpuList all = CpuList.EMPTY;
    for (PartitionSettings.Instance inst : scenario.partition().instances()) {
      all = all.union(inst.cpus());
    }
    return all.toArray();
  }

  /**
   * The operator of node {@code node}: with {@code partition}, it starts by booting the scenario's
   * partition ({@link #bootJobs()}) and then runs {@code launcher}; without, it starts with nothing to do.
   */
  public Operator operator(int node, NodeLayout layout, boolean partition, Operator.Launcher launcher) {
    return new Operator(node, layout, costs(), partition ? bootJobs() : List.of(), launcher);
  }

  public IhkMaster master(int node, NodeLayout layout) {
    return new IhkMaster(node, layout, scenario.machine(), maxInstances(), costs(), dumpFolder);
  }

  public OsInstance instance(int node, int os, NodeLayout layout) {
    return new OsInstance(node, os, layout, costs());
  }

  /** Physical CPU {@code cpu}. */
  public LwkCpu cpu(int cpu) {
    return new LwkCpu(cpu, costs());
  }

  /** The lightweight kernels' memory on NUMA node {@code numa}. */
  public MemoryPartition memory(int numa) {
    return new MemoryPartition(numa, costs());
  }

  /**
   * The scenario's partition as one job: {@code mcreboot.sh} for its instances, in their order (see
   * {@link Operator#mcreboot(List, String, String)}); no job without instances or under
   * {@code os.model = linux}.
   */
  public List<Operator.Job> bootJobs() {
    List<PartitionSettings.Instance> instances = scenario.partition().instances();
    if (instances.isEmpty() || scenario.os().model().equals("linux")) {
      return List.of();
    }
    List<Operator.Instance> boot = new ArrayList<>();
    for (PartitionSettings.Instance inst : instances) {
      boot.add(new Operator.Instance(inst.cpus().toString(), inst.memory().toString(), inst.ikcMap()));
    }
    return List.of(Operator.mcreboot(boot, scenario.os().image(), scenario.os().kargs()));
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
  public long bootAloneNs() {
    List<Object> key = List.of(scenario.machine().cpus(), scenario.machine().numa(), scenario.partition(),
        scenario.os(), costs());
    Long known = BOOTS.get(key);
    if (known != null) {
      return known;
    }
    long ns = bootAlone();
    if (BOOTS.size() >= MAX_BOOTS) {
      BOOTS.clear();
    }
    BOOTS.put(key, ns);
    return ns;
  }

  private long bootAlone() {
    IhkModel one = new IhkModel(this, 1, true);
    new SequentialEngine().run(one, RunSpec.until(Long.MAX_VALUE / 4, 1));
    Operator op = one.operator(0);
    if (op.readyAt() < 0) {
      throw new IllegalStateException("the node did not boot: " + String.join(" | ",
          op.drainConsole().stream().map(Operator.ConsoleLine::text).toList()) + "; seed "
          + scenario.run().seed());
    }
    return op.readyAt();
  }
}
