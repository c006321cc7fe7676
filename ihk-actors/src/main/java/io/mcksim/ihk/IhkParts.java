package io.mcksim.ihk;

import io.mcksim.config.CpuList;
import io.mcksim.config.LifecycleCosts;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IHK side of every node of a scenario: the operator, the IHK master and the OS-instance slots,
 * with the scenario's lifecycle costs ({@code costs.lifecycle}), and the job that boots the scenario's
 * partition as {@code mcreboot.sh} does. The CPUs and memory an instance brings up are the lightweight
 * kernel's own entities ({@link Lwk}), which the node model places ({@link NodeLayout}). The node model
 * every workload, the admin shell and the showcase's boot run on builds its IHK entities here, so a node
 * boots through the same verbs in the same time wherever it boots.
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
}
