package io.mcksim.ihk;

/**
 * Entity ids of a machine of identical nodes. Node {@code n} is domain {@code n}; its entities are,
 * in this order: the operator (the admin's shell and scripts), the IHK master, one OS-instance slot per
 * {@code os.max-instances}, one CPU per CPU, one memory partition per NUMA node.
 */
public record NodeLayout(int nodes, int maxInstances, int cpus, int numaNodes) {

  public int stride() {
    return 2 + maxInstances + cpus + numaNodes;
  }

  public int entityCount() {
    return nodes * stride();
  }

  public int nodeOf(int entity) {
    return entity / stride();
  }

  public int operator(int node) {
    return node * stride();
  }

  public int master(int node) {
    return node * stride() + 1;
  }

  public int instance(int node, int os) {
    return node * stride() + 2 + os;
  }

  public int cpu(int node, int cpu) {
    return node * stride() + 2 + maxInstances + cpu;
  }

  public int numa(int node, int numa) {
    return node * stride() + 2 + maxInstances + cpus + numa;
  }
}
