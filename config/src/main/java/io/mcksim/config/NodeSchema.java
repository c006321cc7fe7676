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

  static MachineSettings machine(ScenarioLoader.Reader r) {
    int nodes = r.intIn("machine.nodes", 1, 1_000_000);
    int cpus = r.intIn("machine.cpus", 1, 4096);
    CpuList all = CpuList.range(0, cpus - 1);
    List<MachineSettings.Numa> numa = new ArrayList<>();
    CpuList seen = CpuList.EMPTY;
    List<ScenarioLoader.Reader> elements = r.objects("machine.numa", NUMA_KEYS);
    for (int i = 0; i < elements.size(); i++) {
      ScenarioLoader.Reader e = elements.get(i);
      CpuList c = e.cpuList("cpus");
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
      long memory = e.bytes("memory", MemorySpec.UNIT);
      long linuxUsed = e.bytes("linux-used", 0);
      if (linuxUsed > memory) {
        e.bad("linux-used", MemorySpec.format(linuxUsed) + " is more than the NUMA node's "
            + MemorySpec.format(memory));
      }
      numa.add(new MachineSettings.Numa(i, c, memory, Math.min(linuxUsed, memory)));
    }
    if (elements.isEmpty()) {
      r.bad("machine.numa", "a node needs at least one NUMA node");
    } else if (!all.minus(seen).isEmpty()) {
      CpuList orphans = all.minus(seen);
      r.bad("machine.numa", "CPU " + orphans + (orphans.size() == 1 ? " belongs" : " belong")
          + " to no NUMA node; every CPU of 0-"
          + (cpus - 1) + " must be listed in exactly one");
    }
    return new MachineSettings(nodes, cpus, numa);
  }

  static PartitionSettings partition(ScenarioLoader.Reader r, MachineSettings machine, OsSettings os) {
    List<PartitionSettings.Instance> instances = new ArrayList<>();
    CpuList all = machine.allCpus();
    CpuList taken = CpuList.EMPTY;
    long[] memoryTaken = new long[machine.numa().size()];
    List<ScenarioLoader.Reader> elements = r.objects("partition.instances", INSTANCE_KEYS);
    if (elements.size() > os.maxInstances()) {
      r.bad("partition.instances", elements.size() + " instances, but os.max-instances is "
          + os.maxInstances());
    }
    for (ScenarioLoader.Reader e : elements) {
      CpuList cpus = e.cpuList("cpus");
      CpuList missing = cpus.minus(all);
      if (!missing.isEmpty()) {
        e.bad("cpus", "CPU " + missing + (missing.size() == 1 ? " does not" : " do not")
            + " exist; the node has CPUs " + all);
      }
      if (cpus.contains(0)) {
        e.bad("cpus", "CPU 0 cannot be reserved: Linux keeps it (choose from 1-" + (machine.cpus() - 1)
            + ")");
      }
      if (cpus.isEmpty()) {
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
      checkIkcMap(e, ikcMap, cpus, all);
      instances.add(new PartitionSettings.Instance(cpus, memory, ikcMap));
    }
    if (os.model().equals("mckernel") && !os.kargs().contains("hidos")) {
      r.bad("os.kargs", "McKernel needs \"hidos\" among its kernel arguments (IKC is off without it),"
          + " got \"" + os.kargs() + "\"");
    }
    return new PartitionSettings(instances);
  }

  private static void checkMemory(ScenarioLoader.Reader e, MachineSettings machine, MemorySpec memory,
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

  /** What IHK may reserve on a NUMA node: NUMA 0 keeps 5% of Linux's free memory, in 4 MiB units. */
  static long reservable(MachineSettings.Numa n) {
    long free = n.free();
    long cap = n.id() == 0 ? free / 100 * 95 : free;
    return cap / MemorySpec.UNIT * MemorySpec.UNIT;
  }

  private static void checkIkcMap(ScenarioLoader.Reader e, String map, CpuList mine, CpuList all) {
    if (map.isBlank()) {
      return;
    }
    CpuList mapped = CpuList.EMPTY;
    for (String part : map.split("\\+")) {
      int colon = part.indexOf(':');
      if (colon < 0) {
        e.bad("ikc-map", "'" + part + "' is not mckernel-cpus:linux-cpu, as in 4-35:0+36-67:1");
        return;
      }
      CpuList lwk;
      int linux;
      try {
        lwk = CpuList.parse(part.substring(0, colon));
        linux = Integer.parseInt(part.substring(colon + 1).trim());
      } catch (IllegalArgumentException ex) {
        e.bad("ikc-map", "'" + part + "' is not mckernel-cpus:linux-cpu, as in 4-35:0+36-67:1");
        return;
      }
      if (!lwk.minus(mine).isEmpty()) {
        e.bad("ikc-map", "CPU " + lwk.minus(mine) + " is not one of this instance's CPUs (" + mine + ")");
      }
      if (mine.contains(linux) || !all.contains(linux)) {
        e.bad("ikc-map", "Linux CPU " + linux + " must be a CPU Linux keeps (one of "
            + all.minus(mine) + ")");
      }
      mapped = mapped.union(lwk);
    }
    if (!mine.minus(mapped).isEmpty()) {
      e.bad("ikc-map", "CPU " + mine.minus(mapped) + " of this instance has no Linux CPU in the map");
    }
  }
}
