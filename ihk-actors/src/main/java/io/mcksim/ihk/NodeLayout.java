package io.mcksim.ihk;

/**
 * Where the IHK entities of a node are: the entity ids they send to. Node {@code n} is domain {@code n}.
 * A machine of IHK nodes alone numbers its entities contiguously ({@link Machine}); a node model that
 * holds them among its other entities numbers them by its own declaration.
 */
public interface NodeLayout {

  /** The operator (the admin's shell and scripts) of node {@code node}. */
  int operator(int node);

  /** The IHK master of node {@code node}. */
  int master(int node);

  /** OS-instance slot {@code os} of node {@code node}. */
  int instance(int node, int os);

  /** Physical CPU {@code cpu} of node {@code node}, as the lightweight kernel brings it up. */
  int cpu(int node, int cpu);

  /** The lightweight kernels' memory on NUMA node {@code numa} of node {@code node}. */
  int numa(int node, int numa);

  /**
   * A machine of identical nodes holding only IHK entities. Node {@code n}'s entities are, in this
   * order: the operator, the IHK master, one OS-instance slot per {@code os.max-instances}, one CPU per
   * CPU, one memory partition per NUMA node.
   */
  record Machine(int nodes, int maxInstances, int cpus, int numaNodes) implements NodeLayout {

    public int stride() {
      return 2 + maxInstances + cpus + numaNodes;
    }

    public int entityCount() {
      return nodes * stride();
    }

    public int nodeOf(int entity) {
      return entity / stride();
    }

    @Override
    public int operator(int node) {
      return node * stride();
    }

    @Override
    public int master(int node) {
      return node * stride() + 1;
    }

    @Override
    public int instance(int node, int os) {
      return node * stride() + 2 + os;
    }

    @Override
    public int cpu(int node, int cpu) {
      return node * stride() + 2 + maxInstances + cpu;
    }

    @Override
    public int numa(int node, int numa) {
      return node * stride() + 2 + maxInstances + cpus + numa;
    }
  }
}
