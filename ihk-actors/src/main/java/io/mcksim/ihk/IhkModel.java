package io.mcksim.ihk;

import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.config.Scenario;
import java.nio.file.Path;

/**
 * A machine of IHK nodes: per node an operator, an IHK master, the OS-instance slots, the CPUs and the
 * NUMA memory partitions (see {@link NodeLayout.Machine}), built by {@link IhkParts}. Each node is one
 * domain. With {@code partition} on, every node's operator boots the scenario's partition at time 0 the
 * way {@code mcreboot.sh} does ({@link IhkParts#bootJobs()}); with it off, the nodes start with
 * everything owned by Linux (the admin shell's starting point). {@code ihkosctl OS dump} writes only
 * inside the model's dump folder, if it has one.
 */
public final class IhkModel implements SimModel {

  private final IhkParts parts;
  private final NodeLayout.Machine layout;
  private final boolean partition;
  private final SimEntity[] entities;

  /** A model without a dump folder: {@code ihkosctl OS dump} is refused. */
  public IhkModel(Scenario scenario, boolean partition) {
    this(scenario, partition, null);
  }

  /** @param dumpFolder where {@code ihkosctl OS dump} writes (created on the first dump), or null */
  public IhkModel(Scenario scenario, boolean partition, Path dumpFolder) {
    this(new IhkParts(scenario, dumpFolder), scenario.machine().nodes(), partition);
  }

  /** {@code nodes} nodes of {@code parts}. */
  IhkModel(IhkParts parts, int nodes, boolean partition) {
    this.parts = parts;
    this.partition = partition;
    this.layout = new NodeLayout.Machine(nodes, parts.maxInstances(), parts.cpus(), parts.numaNodes());
    this.entities = new SimEntity[layout.entityCount()];
  }

  public NodeLayout.Machine layout() {
    return layout;
  }

  @Override
  public String name() {
    return "ihk";
  }

  @Override
  public long seed() {
    return parts.scenario().run().seed();
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
    return parts.costs().message();
  }

  @Override
  public long localLookahead() {
    return parts.costs().message();
  }

  @Override
  public SimEntity createEntity(int id) {
    int node = layout.nodeOf(id);
    int local = id - layout.operator(node);
    int slots = layout.maxInstances();
    int cpus = layout.cpus();
    SimEntity e;
    if (local == 0) {
      e = parts.operator(node, layout, partition, Operator.Launcher.NONE);
    } else if (local == 1) {
      e = parts.master(node, layout);
    } else if (local < 2 + slots) {
      e = parts.instance(node, local - 2, layout);
    } else if (local < 2 + slots + cpus) {
      e = parts.cpu(local - 2 - slots);
    } else {
      e = parts.memory(local - 2 - slots - cpus);
    }
    entities[id] = e;
    return e;
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
