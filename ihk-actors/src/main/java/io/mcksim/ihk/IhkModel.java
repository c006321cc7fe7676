package io.mcksim.ihk;

import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine of IHK nodes: per node an operator, an IHK master, the OS-instance slots, the CPUs and the
 * NUMA memory partitions (see {@link NodeLayout}). Each node is one domain. With {@code partition} on,
 * every node's operator sets up the scenario's partition at time 0 the way {@code mcreboot.sh} would;
 * with it off, the nodes start with everything owned by Linux (the admin shell's starting point).
 * {@code ihkosctl OS dump} writes only inside the model's dump folder, if it has one.
 */
public final class IhkModel implements SimModel {

  private final Scenario scenario;
  private final NodeLayout layout;
  private final boolean partition;
  private final SimEntity[] entities;
  private final Path dumpFolder;

  /** A model without a dump folder: {@code ihkosctl OS dump} is refused. */
  public IhkModel(Scenario scenario, boolean partition) {
    this(scenario, partition, null);
  }

  /** @param dumpFolder where {@code ihkosctl OS dump} writes (created on the first dump), or null */
  public IhkModel(Scenario scenario, boolean partition, Path dumpFolder) {
    this.scenario = scenario;
    this.partition = partition;
    this.dumpFolder = dumpFolder;
    this.layout = new NodeLayout(scenario.machine().nodes(), scenario.os().maxInstances(),
        scenario.machine().cpus(), scenario.machine().numa().size());
    this.entities = new SimEntity[layout.entityCount()];
  }

  public NodeLayout layout() {
    return layout;
  }

  @Override
  public String name() {
    return "ihk";
  }

  @Override
  public long seed() {
    return scenario.run().seed();
  }

  @Override
  public int entityCount() {
    return layout.entityCount();
  }

  @Override
  public int domainCount() {
    return layout.nodes();
  }

  @Override
  public int domainOf(int entity) {
    return layout.nodeOf(entity);
  }

  @Override
  public long lookahead() {
    return scenario.lifecycle().message();
  }

  @Override
  public long localLookahead() {
    return scenario.lifecycle().message();
  }

  @Override
  public SimEntity createEntity(int id) {
    int node = layout.nodeOf(id);
    int local = id - layout.operator(node);
    int slots = layout.maxInstances();
    int cpus = layout.cpus();
    SimEntity e;
    if (local == 0) {
      e = new Operator(node, layout, scenario.lifecycle(), partition ? bootJobs() : List.of());
    } else if (local == 1) {
      e = new IhkMaster(node, layout, scenario.machine(), slots, scenario.lifecycle(), dumpFolder);
    } else if (local < 2 + slots) {
      e = new OsInstance(node, local - 2, layout, scenario.lifecycle());
    } else if (local < 2 + slots + cpus) {
      e = new LwkCpu(local - 2 - slots, scenario.lifecycle());
    } else {
      e = new MemoryPartition(local - 2 - slots - cpus, scenario.lifecycle());
    }
    entities[id] = e;
    return e;
  }

  /** The scenario's partition as one mcreboot-like job: reserve everything, then each instance. */
  private List<Operator.Job> bootJobs() {
    List<PartitionSettings.Instance> instances = scenario.partition().instances();
    if (instances.isEmpty() || scenario.os().model().equals("linux")) {
      return List.of();
    }
    List<Operator.Step> steps = new ArrayList<>();
    for (PartitionSettings.Instance inst : instances) {
      String mem = inst.memory().toString();
      steps.add(Operator.Step.command("ihkconfig 0 reserve mem " + mem,
          "ihkconfig 0 release mem " + mem));
      steps.add(Operator.Step.command("ihkconfig 0 reserve cpu " + inst.cpus(),
          "ihkconfig 0 release cpu " + inst.cpus()));
    }
    for (int os = 0; os < instances.size(); os++) {
      PartitionSettings.Instance inst = instances.get(os);
      steps.addAll(Operator.instanceSteps(os, inst.cpus().toString(), inst.memory().toString(),
          inst.ikcMap(), scenario.os().image(), scenario.os().kargs()));
    }
    return List.of(new Operator.Job("partition", steps, false));
  }

  /** The entity created for {@code id}; read it only while the run is not advancing. */
  public SimEntity entity(int id) {
    return entities[id];
  }

  public Operator operator(int node) {
    return (Operator) entities[layout.operator(node)];
  }

  public IhkMaster master(int node) {
    return (IhkMaster) entities[layout.master(node)];
  }
}
