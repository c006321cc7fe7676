package io.mcksim.machine.bsp;

import io.mcksim.config.CpuList;
import io.mcksim.config.Scenario;
import io.mcksim.config.WorkloadSettings;
import io.mcksim.mckernel.Dispatch;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.net.Collective;
import io.mcksim.workloads.net.LogGP;
import java.util.ArrayList;
import java.util.List;

/** Builds the BSP machine a scenario describes ({@code workload.type = bsp}). */
public final class BspSetup {

  private BspSetup() {}

  /**
   * The plan of {@code s}: threads on the CPUs of the OS instances (McKernel CPUs under {@code
   * os.model = mckernel}, the same CPUs as Linux CPUs under {@code linux}): a node's ranks are dealt to
   * its instances in turn, and the ranks of one instance take its CPUs in order; offloaded
   * calls served by the node's other CPUs.
   *
   * @throws IllegalArgumentException when the ranks and threads do not fit the CPUs, naming the keys
   */
  public static BspPlan plan(Scenario s) {
    return plan(s, null);
  }

  /** The plan, with {@code calls} (when not null) instead of the scenario's. */
  public static BspPlan plan(Scenario s, List<BspPlan.Call> calls) {
    WorkloadSettings.Bsp b = s.workload().bsp();
    List<io.mcksim.config.PartitionSettings.Instance> instances = s.partition().instances();
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("partition.instances is empty: a BSP run places its threads on "
          + "the CPUs of the OS instances; list one");
    }
    int ranks = b.ranksPerNode();
    int n = instances.size();
    int threads = b.threadsPerRank();
    if (threads == 0) {
      threads = Integer.MAX_VALUE;
      for (int k = 0; k < Math.min(n, ranks); k++) {
        threads = Math.min(threads, instances.get(k).cpus().size() / ranksOn(k, ranks, n));
      }
    }
    for (int k = 0; k < Math.min(n, ranks); k++) {
      CpuList instance = instances.get(k).cpus();
      int on = ranksOn(k, ranks, n);
      if (threads < 1 || (long) on * threads > instance.size()) {
        throw new IllegalArgumentException("workload.bsp: " + (n == 1 ? "" : on + " of the ") + ranks
            + " ranks per node" + (n == 1 ? "" : " (dealt to the " + n + " OS instances in turn)") + " x "
            + (b.threadsPerRank() > 0 ? threads : "at least 1") + " threads need more than the "
            + instance.size() + " CPUs of partition.instances[" + k + "].cpus; lower workload.bsp.ranks-per-node"
            + " or workload.bsp.threads-per-rank, or give the instance more CPUs");
      }
    }
    long pages = (b.memoryBytes() + 4095) & -4096L;
    for (int k = 0; k < Math.min(n, ranks); k++) {
      long need = (long) ranksOn(k, ranks, n) * threads * pages;
      long have = instances.get(k).memory().bytesOn(0);
      if (BspNodes.LWK_DESIGNS.contains(s.os().model()) && need > have) {
        throw new IllegalArgumentException("workload.bsp.memory: " + ranksOn(k, ranks, n) * threads + " threads"
            + " of " + b.memoryBytes() + " bytes need " + need + " bytes of McKernel memory on NUMA node 0, but "
            + "partition.instances[" + k + "].memory gives it " + have + "; lower workload.bsp.memory or give the "
            + "instance more memory on NUMA node 0");
      }
    }
    int[] app = new int[ranks * threads];
    for (int r = 0; r < ranks; r++) {
      for (int t = 0; t < threads; t++) {
        app[r * threads + t] = instances.get(instanceOf(r, n)).cpus().get(firstCpuOf(r, n, threads) + t);
      }
    }
    List<Integer> linux = new ArrayList<>();
    for (int cpu : s.machine().allCpus().toArray()) {
      if (s.partition().instances().stream().noneMatch(in -> in.cpus().contains(cpu))) {
        linux.add(cpu);
      }
    }
    String os = s.os().model();
    SyscallTable table = SyscallTable.named(s.workload().syscalls().table());
    if (calls == null) {
      calls = new ArrayList<>();
      for (String name : b.syscalls()) {
        calls.add(call(s, os, table, name));
      }
    }
    var ic = s.interconnect();
    LogGP inter = new LogGP(ic.latencyNs(), ic.overheadNs(), ic.gapNs(), ic.perByteNs());
    LogGP intra = new LogGP(ic.intraNodeLatencyNs(), ic.overheadNs(), ic.gapNs(), ic.perByteNs());
    return new BspPlan(os, s.machine().nodes(), ranks, threads, app,
        linux.stream().mapToInt(Integer::intValue).toArray(), b.iterations(),
        new BspPlan.Quantum(b.quantum().kind(), b.quantum().a(), b.quantum().b()), calls,
        Collective.named(b.collective()), b.messageSize(), inter, intra, b.threadBarrierNs(), s.run().seed());
  }

  /**
   * The OS instance rank {@code rank} of a node runs on: the node's ranks are dealt to its {@code
   * instances} in turn (rank r on instance r mod n).
   */
  public static int instanceOf(int rank, int instances) {
    return rank % instances;
  }

  /**
   * The first of rank {@code rank}'s CPUs among its instance's (McKernel CPU index): the ranks an
   * instance gets take its CPUs in order, {@code threads} each.
   */
  public static int firstCpuOf(int rank, int instances, int threads) {
    return rank / instances * threads;
  }

  /** How many of a node's {@code ranks} instance {@code k} of {@code instances} gets. */
  private static int ranksOn(int k, int ranks, int instances) {
    return ranks / instances + (k < ranks % instances ? 1 : 0);
  }

  /**
   * Where a call runs under OS model {@code os} and what it costs there, stage by stage (see the
   * reference configuration, {@code os.models}):
   * <ul>
   *   <li>{@code linux}, {@code argo}: native, Linux entry plus service time;</li>
   *   <li>{@code mckernel}: by its syscall table (a call with a local handler only for McKernel's own
   *       descriptors goes to Linux, as it does for an ordinary file); offloaded with the same stages
   *       as the program model's offload;</li>
   *   <li>{@code mos}: the LWK's own calls local; the rest migrate to a Linux CPU, run natively, and
   *       migrate back;</li>
   *   <li>{@code hobbes}: Kitten's own calls local; remote calls over the shared buffer (the IPI
   *       there and back); the rest fail with ENOSYS;</li>
   *   <li>{@code l4linux}: an IPC to the Linux server, native service there, an IPC back.</li>
   * </ul>
   * A call that goes to another CPU crosses in 1 ns, taken out of the calling CPU's part, except
   * McKernel's, whose trip is the IKC latency.
   */
  public static BspPlan.Call call(Scenario s, String os, SyscallTable table, String name) {
    var sc = s.syscalls();
    var m = s.os().models();
    long nativeNs = sc.linuxEntry() + sc.linux(name);
    switch (os) {
      case "linux", "argo" -> {
        return BspPlan.Call.inPlace(name, "native", nativeNs);
      }
      case "mos" -> {
        return m.mos().local().contains(name) ? BspPlan.Call.inPlace(name, "local", sc.local(name))
            : migrated(s, name);
      }
      case "hobbes" -> {
        if (m.hobbes().local().contains(name)) {
          return BspPlan.Call.inPlace(name, "local", sc.local(name));
        }
        if (m.hobbes().remote().contains(name)) {
          return new BspPlan.Call(name, "remote", m.hobbes().remoteCallNs() - 1, 1,
              s.ikc().ipi() + sc.linux(name), s.ikc().ipi());
        }
        return BspPlan.Call.inPlace(name, "enosys", m.hobbes().enosysNs());
      }
      case "l4linux" -> {
        return new BspPlan.Call(name, "ipc", m.l4linux().ipcNs() - 1, 1, nativeNs, m.l4linux().ipcNs());
      }
      case "mckernel" -> {
        return table.classify(name) == Dispatch.LOCAL ? BspPlan.Call.inPlace(name, "local", sc.local(name))
            : offloaded(s, name);
      }
      default -> throw new IllegalArgumentException("os.model = " + os + " is not one of "
          + io.mcksim.config.OsSettings.MODELS);
    }
  }

  /**
   * Mapping a device's memory under {@code os}: open the device file, set it up with an ioctl, mmap
   * it. The mmap is the Linux driver's: McKernel forwards it to the proxy, mOS migrates to a Linux CPU,
   * L4Linux asks its server, Linux and Argo call the driver in place; Kitten has no Linux drivers, so
   * under Hobbes the ioctl and the mmap fail (ENOSYS).
   */
  public static List<BspPlan.Call> deviceMapping(Scenario s, String os) {
    SyscallTable table = SyscallTable.named(s.workload().syscalls().table());
    BspPlan.Call mmap = switch (os) {
      case "mckernel" -> offloaded(s, "mmap");
      case "mos" -> migrated(s, "mmap");
      case "hobbes" -> BspPlan.Call.inPlace("mmap", "enosys", s.os().models().hobbes().enosysNs());
      default -> call(s, os, table, "mmap"); // Linux and Argo in place, L4Linux through its server
    };
    return List.of(call(s, os, table, "openat"), call(s, os, table, "ioctl"), mmap);
  }

  /** McKernel's offload of {@code name}: the same stages as the program model's. */
  private static BspPlan.Call offloaded(Scenario s, String name) {
    var o = s.offload();
    return new BspPlan.Call(name, "offloaded", o.marshal() + o.ikcEnqueue(), s.ikc().latency(),
        s.ikc().ipi() + o.mcctrlDispatch() + o.proxyWakeup() + s.syscalls().linux(name) + o.replyWrite(),
        o.resume());
  }

  /** mOS: migrate to a Linux CPU, call natively there, migrate back. */
  private static BspPlan.Call migrated(Scenario s, String name) {
    long migrate = s.os().models().mos().migrateNs();
    return new BspPlan.Call(name, "migrated", migrate - 1, 1,
        s.syscalls().linuxEntry() + s.syscalls().linux(name), migrate);
  }

  /** The noise profile of the application's CPUs under {@code os}, or null for none. */
  static String appNoise(Scenario s, String os) {
    return switch (os) {
      case "linux" -> s.os().linuxNoise();
      case "argo" -> s.os().models().argo().noise();
      case "l4linux" -> s.os().models().l4linux().noise();
      default -> null; // the lightweight kernels' CPUs are tickless and quiet
    };
  }

  /**
   * The BSP application of {@code s} on the full node model ({@link BspNodes}), under every design.
   */
  public static BspApplication application(Scenario s) {
    return BspNodes.of(s);
  }

  /** The same, its threads making {@code calls} instead of the scenario's (see {@link #deviceMapping}). */
  public static BspApplication application(Scenario s, List<BspPlan.Call> calls) {
    return BspNodes.of(s, calls);
  }
}
