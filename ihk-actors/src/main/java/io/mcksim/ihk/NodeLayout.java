package io.mcksim.ihk;

/**
 * Where the IHK entities of a node are, and the lightweight kernel's CPUs and memory they bring up: the
 * entity ids they send to. Node {@code n} is domain {@code n}. The node model that holds them among its
 * other entities numbers them by its own declaration.
 */
public interface NodeLayout {

  /** The operator (the admin's shell and scripts) of node {@code node}. */
  int operator(int node);

  /** The IHK master of node {@code node}. */
  int master(int node);

  /** OS-instance slot {@code os} of node {@code node}. */
  int instance(int node, int os);

  /**
   * The lightweight kernel's CPU {@code index} of OS instance {@code os} of node {@code node}, on physical
   * CPU {@code physical}; -1 if the node has no lightweight-kernel CPU there (it then cannot come up).
   */
  int cpu(int node, int os, int index, int physical);

  /** The lightweight kernel's memory of OS instance {@code os} on NUMA node {@code numa} of node {@code node}. */
  int numa(int node, int os, int numa);
}
