package io.mcksim.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and cross-checks the parts of a scenario that describe a node: {@code machine} and
 * {@code partition}. Each problem names the offending key and what would be valid.
 */
final class NodeSchema {

  private NodeSchema() {}

  private static final Set<String> NUMA_KEYS = Set.of("cpus", "memory", "linux-used");
  private static final Set<String> INSTANCE_KEYS = Set.of("cpus", "memory", "ikc-map");

  /** NUMA nodes of one node: Linux's MAX_NUMNODES is 1,024 on x86_64; real nodes have at most 16. */
  static final int MAX_NUMA = 64;

  static MachineSettings machine(ConfigReader r) {
    int before = r.problemCount();
    int nodes = r.intIn("machine.nodes", 1, 1_000_000);
    int cpus = r.intIn("machine.cpus", 1, 4096);
    if (r.problemCount() == before && (long) nodes * cpus > InputLimits.MAX_SIMULATED_CPUS) {
      r.bad("machine.nodes", tooManyCpus(nodes, cpus));
    }
    CpuList all = CpuList.range(0, cpus - 1);
    List<MachineSettings.Numa> numa = new ArrayList<>();
    CpuList seen = CpuList.EMPTY;
    boolean listsRead = true; // a list that cannot be read leaves its CPUs out: no orphans to report then
    List<ConfigReader> elements = r.objects("machine.numa", NUMA_KEYS);
    if (elements.size() > MAX_NUMA) {
      r.bad("machine.numa", elements.size() + " NUMA nodes; a node has at most " + MAX_NUMA);
      elements = elements.subList(0, MAX_NUMA);
    }
    for (int i = 0; i < elements.size(); i++) {
      ConfigReader e = elements.get(i);
      int problems = e.problemCount();
      CpuList c = e.cpuList("cpus");
      listsRead &= e.problemCount() == problems;
      CpuList missing = c.minus(all);
      if (!missing.isEmpty()) {
        e.bad("cpus", "CPU " + missing + (missing.size() == 1 ? " does not" : " do not")
            + " exist; the node has CPUs " + all);
      }
      CpuList twice = c.intersect(seen);
      if (!twice.isEmpty()) {
        e.bad("cpus", "CPU " + twice + " already belongs to an earlier NUMA node");
      }
      seen = seen.union(c.intersect(all));
      long memory = e.bytes("memory", MemorySpec.UNIT, MemorySpec.MAX_BYTES);
      long linuxUsed = e.bytes("linux-used", 0, MemorySpec.MAX_BYTES);
      if (linuxUsed > memory) {
        e.bad("linux-used", MemorySpec.format(linuxUsed) + " is more than the NUMA node's "
            + MemorySpec.format(memory));
      }
      numa.add(new MachineSettings.Numa(i, c, memory, Math.min(linuxUsed, memory)));
    }
    if (elements.isEmpty()) {
      r.bad("machine.numa", "a node needs at least one NUMA node");
    } else if (listsRead && !all.minus(seen).isEmpty()) {
      CpuList orphans = all.minus(seen);
      r.bad("machine.numa", "CPU " + orphans + (orphans.size() == 1 ? " belongs" : " belong")
          + " to no NUMA node; every CPU of 0-"
          + (cpus - 1) + " must be listed in exactly one");
    }
    return new MachineSettings(nodes, cpus, numa);
  }

  private static String tooManyCpus(long nodes, int cpus) {
    return String.format("%,d nodes of %,d CPUs is %,d simulated CPUs, more than the %,d a machine may have"
        + " (each takes 1.4-1.7 KB of heap); lower machine.nodes or machine.cpus", nodes, cpus, nodes * cpus,
        InputLimits.MAX_SIMULATED_CPUS);
  }

  /**
   * A list of node counts (such as the showcase's BSP sizes), each a machine of {@code machine}'s nodes:
   * 1 to 64 counts, each within the machine's limit of simulated CPUs.
   */
  static List<Integer> nodeCounts(ConfigReader r, String path, MachineSettings machine) {
    List<Integer> counts = r.ints(path, 1, 1_000_000, 64);
    for (int n : counts) {
      if ((long) n * machine.cpus() > InputLimits.MAX_SIMULATED_CPUS) {
        r.bad(path, tooManyCpus(n, machine.cpus()));
        return List.of();
      }
    }
    return counts;
  }

  static PartitionSettings partition(ConfigReader r, MachineSettings machine, OsSettings os) {
    List<PartitionSettings.Instance> instances = new ArrayList<>();
    CpuList all = machine.allCpus();
    CpuList taken = CpuList.EMPTY;
    long[] memoryTaken = new long[machine.numa().size()];
    List<ConfigReader> elements = r.objects("partition.instances", INSTANCE_KEYS);
    if (elements.size() > os.maxInstances()) {
      r.bad("partition.instances", elements.size() + " instances, but os.max-instances is "
          + os.maxInstances());
    }
    List<CpuList> targets = new ArrayList<>();
    for (ConfigReader e : elements) {
      int before = e.problemCount();
      CpuList cpus = e.cpuList("cpus");
      boolean read = e.problemCount() == before;
      CpuList missing = cpus.minus(all);
      if (!missing.isEmpty()) {
        e.bad("cpus", "CPU " + missing + (missing.size() == 1 ? " does not" : " do not")
            + " exist; the node has CPUs " + all);
      }
      if (cpus.contains(0)) {
        e.bad("cpus", "CPU 0 cannot be reserved: Linux keeps it (choose from 1-" + (machine.cpus() - 1)
            + ")");
      }
      if (read && cpus.isEmpty()) {
        e.bad("cpus", "an OS instance needs at least one CPU");
      }
      CpuList twice = cpus.intersect(taken);
      if (!twice.isEmpty()) {
        e.bad("cpus", "CPU " + twice + " already belongs to an earlier instance");
      }
      taken = taken.union(cpus);
      MemorySpec memory = e.memory("memory");
      checkMemory(e, machine, memory, memoryTaken);
      String ikcMap = e.string("ikc-map");
      targets.add(checkIkcMap(e, ikcMap, cpus, all));
      instances.add(new PartitionSettings.Instance(cpus, memory, ikcMap));
    }
    for (int k = 0; k < elements.size(); k++) {
      // a Linux CPU of an IKC map stays with Linux: no other instance may take it either
      CpuList other = targets.get(k).intersect(taken).minus(instances.get(k).cpus());
      if (!other.isEmpty()) {
        elements.get(k).bad("ikc-map", "Linux CPU " + other + " belongs to another instance; name a CPU Linux"
            + " keeps (one of " + all.minus(taken) + ")");
      }
    }
    if (os.model().equals("mckernel") && !os.kargs().contains("hidos")) {
      r.bad("os.kargs", "McKernel needs \"hidos\" among its kernel arguments (IKC is off without it),"
          + " got \"" + os.kargs() + "\"");
    }
    return new PartitionSettings(instances);
  }

  private static void checkMemory(ConfigReader e, MachineSettings machine, MemorySpec memory,
      long[] taken) {
    if (memory.all()) {
      e.bad("memory", "a scenario gives each instance explicit sizes (size@numa); 'all' is for the"
          + " shell");
      return;
    }
    for (MemorySpec.Chunk c : memory.chunks()) {
      if (c.numa() >= machine.numa().size()) {
        e.bad("memory", "NUMA node " + c.numa() + " does not exist; the node has NUMA nodes 0-"
            + (machine.numa().size() - 1));
        return;
      }
    }
    for (MachineSettings.Numa n : machine.numa()) {
      long want = memory.bytesOn(n.id()) + taken[n.id()];
      long limit = reservable(n);
      if (want > limit) {
        e.bad("memory", MemorySpec.format(want) + " on NUMA node " + n.id() + " is more than can be"
            + " reserved there: " + MemorySpec.format(limit) + (n.id() == 0
                ? " (95% of the " + MemorySpec.format(n.free()) + " Linux has free)"
                : " (what Linux has free)"));
      }
      taken[n.id()] = want;
    }
  }

  /**
   * Each instance's boot and shutdown, as IHK times them (a base, plus per CPU, plus per GiB of memory),
   * must stay within a run's time: a huge per-CPU or per-GiB cost times a large instance would overflow.
   * Reported once, for the first instance that exceeds it.
   */
  static void checkBootTimes(ConfigReader r, PartitionSettings partition, LifecycleCosts costs) {
    for (PartitionSettings.Instance instance : partition.instances()) {
      int cpus = instance.cpus().size();
      long mib = 0;
      for (MemorySpec.Chunk c : instance.memory().chunks()) {
        mib += c.bytes() >> 20;
      }
      int before = r.problemCount();
      long boot = costs.bootBase()
          + r.derived("costs.lifecycle.boot-per-cpu", cpus, costs.bootPerCpu(), "booting " + cpus + " CPUs")
          + r.derived("costs.lifecycle.boot-per-gib", mib, costs.bootPerGib(), "initialising " + mib + " MiB") / 1024;
      long shutdown = costs.shutdownBase() + r.derived("costs.lifecycle.shutdown-per-cpu", cpus,
          costs.shutdownPerCpu(), "stopping " + cpus + " CPUs");
      if (r.problemCount() == before && (boot > InputLimits.MAX_DERIVED_NS || shutdown > InputLimits.MAX_DERIVED_NS)) {
        r.bad("costs.lifecycle.boot-base", "booting or shutting down an instance of " + cpus + " CPUs comes to"
            + " more virtual time than a run may take (10^17 ns)");
      }
      if (r.problemCount() != before) {
        return;
      }
    }
  }

  /** What IHK may reserve on a NUMA node: NUMA 0 keeps 5% of Linux's free memory, in 4 MiB units. */
  static long reservable(MachineSettings.Numa n) {
    long free = n.free();
    long cap = n.id() == 0 ? free / 100 * 95 : free;
    return cap / MemorySpec.UNIT * MemorySpec.UNIT;
  }

  /** Checks an instance's IKC map; returns the Linux CPUs it names (none when it is blank or bad). */
  private static CpuList checkIkcMap(ConfigReader e, String map, CpuList mine, CpuList all) {
    CpuList targets = CpuList.EMPTY;
    if (map.isBlank()) {
      return targets;
    }
    CpuList mapped = CpuList.EMPTY;
    for (String part : map.split("\\+")) {
      int colon = part.indexOf(':');
      if (colon < 0) {
        e.bad("ikc-map", "'" + part + "' is not mckernel-cpus:linux-cpu, as in 4-35:0+36-67:1");
        return CpuList.EMPTY;
      }
      CpuList lwk;
      int linux;
      try {
        lwk = CpuList.parse(part.substring(0, colon));
        linux = Integer.parseInt(part.substring(colon + 1).trim());
      } catch (IllegalArgumentException ex) {
        e.bad("ikc-map", "'" + part + "' is not mckernel-cpus:linux-cpu, as in 4-35:0+36-67:1");
        return CpuList.EMPTY;
      }
      if (!lwk.minus(mine).isEmpty()) {
        e.bad("ikc-map", "CPU " + lwk.minus(mine) + " is not one of this instance's CPUs (" + mine + ")");
      }
      if (mine.contains(linux) || !all.contains(linux)) {
        e.bad("ikc-map", "Linux CPU " + linux + " must be a CPU Linux keeps (one of "
            + all.minus(mine) + ")");
      }
      mapped = mapped.union(lwk);
      if (all.contains(linux)) {
        targets = targets.union(CpuList.of(linux));
      }
    }
    if (!mine.minus(mapped).isEmpty()) {
      e.bad("ikc-map", "CPU " + mine.minus(mapped) + " of this instance has no Linux CPU in the map");
    }
    return targets;
  }
}
