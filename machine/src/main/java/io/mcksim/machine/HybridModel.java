package io.mcksim.machine;

import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.config.IkcCostSettings;
import io.mcksim.config.LaunchCosts;
import io.mcksim.config.McKernelCosts;
import io.mcksim.config.OffloadCosts;
import io.mcksim.config.RemoteFaultCosts;
import io.mcksim.config.SyscallCosts;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.IkcTopology;
import io.mcksim.ikc.IkcTransport;
import io.mcksim.linux.LinuxCpu;
import io.mcksim.linux.LinuxService;
import io.mcksim.ihk.IhkParts;
import io.mcksim.ihk.NodeLayout;
import io.mcksim.ihk.Operator;
import io.mcksim.linux.Mcctrl;
import io.mcksim.linux.ProxyProcess;
import io.mcksim.linux.noise.NoiseProfile;
import io.mcksim.linux.noise.NoiseSource;
import io.mcksim.linux.noise.NoiseTimeline;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.McProcess;
import io.mcksim.mckernel.MemoryPartition;
import io.mcksim.mckernel.ProcessTable;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.Signals;
import io.mcksim.workloads.net.RankMember;
import io.mcksim.workloads.net.RankSync;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Nodes running McKernel processes, each assembled from the real entities: per OS instance
 * ({@link Instance}, {@code /dev/mcosN}) its McKernel CPUs, its mcctrl side (the readers and writers of
 * its IKC channels), one proxy per process, the processes, its process table and its McKernel memory of
 * each NUMA node; and the node's Linux CPUs the proxies' workers run on, shared by the instances. Each
 * process is launched by mcexec on its instance and runs its program on that instance's McKernel CPUs it
 * is given, one thread per CPU; its proxy has the worker pool {@code mcexec -t} would give it, on the
 * Linux CPUs of its instance's IKC map when one is set (as mcexec binds itself), else on every Linux CPU
 * of the node. Every node is one domain and runs the same processes; with
 * {@link #withRanks} the processes are the ranks of a BSP application whose collectives cross the
 * interconnect between the nodes' McKernel CPUs.
 *
 * <p>With {@link #withBoot} and the boot simulated, every node also has its IHK side ({@link IhkParts}:
 * the operator, the IHK master, the OS-instance slots), which brings up the node's own McKernel CPUs and
 * memory partitions ({@link io.mcksim.ihk.Lwk}) and boots through IHK's verbs in virtual time, in
 * {@code mcreboot.sh}'s order; once the script has seen the instances RUNNING, the operator runs mcexec
 * for each process ({@link ProxyProcess.Exec}). Such a node has its supervision tree ({@link
 * #supervision}). Otherwise the nodes start booted and mcexec runs at time 0; {@link #bootNs()} says
 * what the boot would have taken.
 *
 * <p>A node may also run processes natively on its Linux CPUs ({@link #withNatives}): one
 * {@link LinuxCpu} per thread, each on a machine CPU with that CPU's noise. A node need not have a
 * McKernel at all ({@link #linux}): then it has no mcctrl, McKernel CPUs, proxies, McKernel processes,
 * process table or McKernel memory, and its native processes may be the ranks of a BSP application.
 * Under a microkernel with Linux as a server ({@link #withLinuxServer}) every call of a native thread
 * is an IPC to the node's Linux CPUs, each a {@link LinuxService}.
 *
 * <p>The entities and links of a node are declared once ({@link Wiring}): ids, domains and lookahead
 * follow from the declaration. Slots beyond the given processes wait for forks.
 */
public final class HybridModel implements SimModel {

  /**
   * A McKernel process.
   *
   * @param program      what each of its threads runs
   * @param cpus         McKernel CPU indices, one thread on each
   * @param proxyWorkers the proxy's worker threads ({@code mcexec -t}); 0 means one per McKernel CPU
   *                     of the instance, mcexec's default
   * @param instance     the OS instance it runs on ({@code mcexec <os#>}), an index of the node's
   *                     {@link Instance}s
   * @param signals      signals sent to its mcexec from Linux at given virtual times
   */
  public record Process(Program program, List<Integer> cpus, int proxyWorkers, long dataBytes,
      List<Program> threadPrograms, int instance, List<Signals.Timed> signals) {
    public Process {
      cpus = List.copyOf(cpus);
      threadPrograms = List.copyOf(threadPrograms);
      signals = List.copyOf(signals);
      if (!threadPrograms.isEmpty() && threadPrograms.size() != cpus.size()) {
        throw new IllegalArgumentException("a process of " + cpus.size() + " threads given "
            + threadPrograms.size() + " programs");
      }
      if (instance < 0) {
        throw new IllegalArgumentException("no OS instance " + instance);
      }
    }

    /** A process on OS instance 0 whose thread {@code t} runs {@code threadPrograms.get(t)}. */
    public Process(Program program, List<Integer> cpus, int proxyWorkers, long dataBytes,
        List<Program> threadPrograms) {
      this(program, cpus, proxyWorkers, dataBytes, threadPrograms, 0);
    }

    /** A process on OS instance {@code instance} that no timed signal reaches. */
    public Process(Program program, List<Integer> cpus, int proxyWorkers, long dataBytes,
        List<Program> threadPrograms, int instance) {
      this(program, cpus, proxyWorkers, dataBytes, threadPrograms, instance, List.of());
    }

    /** The same process on OS instance {@code os}. */
    public Process onInstance(int os) {
      return new Process(program, cpus, proxyWorkers, dataBytes, threadPrograms, os, signals);
    }

    /** The same process, its mcexec sent {@code timed} from Linux (kill(1) at those virtual times). */
    public Process withSignals(List<Signals.Timed> timed) {
      return new Process(program, cpus, proxyWorkers, dataBytes, threadPrograms, instance, timed);
    }

    /** A process whose threads all run {@code program}. */
    public Process(Program program, List<Integer> cpus, int proxyWorkers, long dataBytes) {
      this(program, cpus, proxyWorkers, dataBytes, List.of());
    }

    /** What its thread {@code t} runs. */
    public Program programOf(int t) {
      return threadPrograms.isEmpty() ? program : threadPrograms.get(t);
    }

    /** A process with the default 64 MiB data area. */
    public Process(Program program, List<Integer> cpus, int proxyWorkers) {
      this(program, cpus, proxyWorkers, DEFAULT_DATA_BYTES);
    }
  }

  /**
   * A process Linux runs natively.
   *
   * @param program what each of its threads runs
   * @param cpus    the machine CPUs (Linux CPUs) it runs on, one thread on each
   */
  public record NativeProcess(Program program, List<Integer> cpus) {
    public NativeProcess {
      cpus = List.copyOf(cpus);
      if (cpus.isEmpty()) {
        throw new IllegalArgumentException("a native process needs at least one CPU for its thread");
      }
      for (int cpu : cpus) {
        if (cpu < 0) {
          throw new IllegalArgumentException("no machine CPU " + cpu);
        }
      }
    }
  }

  /**
   * One McKernel OS instance of a node ({@code /dev/mcosN}), as {@code partition.instances} gives it.
   *
   * @param cpus      its CPUs (machine numbers) in McKernel order: McKernel CPU i is the i-th
   * @param ikcMap    its IKC map ({@code ihkosctl set ikc_map}), empty for the default (all to Linux CPU 0)
   * @param numaBytes its McKernel memory per NUMA node
   * @param numaOfCpu the NUMA node of each of its McKernel CPUs (a process takes memory from its first
   *                  CPU's node first)
   */
  public record Instance(List<Integer> cpus, String ikcMap, long[] numaBytes, int[] numaOfCpu) {
    public Instance {
      cpus = List.copyOf(cpus);
      numaBytes = numaBytes.clone();
      numaOfCpu = numaOfCpu.clone();
      if (cpus.isEmpty()) {
        throw new IllegalArgumentException("an OS instance needs at least one CPU");
      }
      if (java.util.Arrays.stream(numaBytes).noneMatch(b -> b > 0)) {
        throw new IllegalArgumentException("the instance needs McKernel memory on some NUMA node");
      }
      if (numaOfCpu.length != cpus.size()) {
        throw new IllegalArgumentException("NUMA nodes for " + numaOfCpu.length + " CPUs, but the instance has "
            + cpus.size());
      }
      for (int n : numaOfCpu) {
        if (n < 0 || n >= numaBytes.length) {
          throw new IllegalArgumentException("NUMA node " + n + " does not exist; the instance has memory"
              + " partitions 0-" + (numaBytes.length - 1));
        }
      }
    }

    /** An instance whose CPUs all count as NUMA 0's. */
    public Instance(List<Integer> cpus, String ikcMap, long[] numaBytes) {
      this(cpus, ikcMap, numaBytes, new int[cpus.size()]);
    }

    /** Whether an IKC map was set ({@code ihkosctl set ikc_map}): mcexec then binds to its Linux CPUs. */
    public boolean ikcMapped() {
      return !ikcMap.isBlank();
    }
  }

  /** The entities of an instance's McKernel CPUs on one node. */
  private record NodeCpus(int node, int[] ids) {}

  /** An instance's proxies' workers' Linux CPUs, as indices of {@code of}, the array they index. */
  private record Workers(int[] workers, int[] of) {}

  /** The data area a process starts with unless it says otherwise. */
  public static final long DEFAULT_DATA_BYTES = McProcess.DEFAULT_DATA_BYTES;

  /** The first pid given to a proxy; a McKernel process's pid is its proxy's. */
  public static final int FIRST_PID = 1000;

  private final List<Process> processes;
  private final SyscallTable table;
  private final IkcCostSettings ikc;
  private final OffloadCosts offload;
  private final SyscallCosts syscalls;
  private final RemoteFaultCosts faults;
  private final McKernelCosts scheduler;
  private final LaunchCosts launch;
  private final boolean anonOnDemand;
  private final long seed;
  /** How the nodes' IKC packets travel on the actor engine. */
  private final IkcTransport transport = new IkcTransport();
  /** The node's McKernel OS instances, each with its own entities; none on a node without McKernel. */
  private final List<Os> oses = new ArrayList<>();
  private final int spareSlots;
  /** Each process's slot in its instance. */
  private final int[] slotOfProcess;
  /** The noise profile of the Linux CPUs mcctrl's handler and the proxies' workers run on. */
  private NodeNoise linuxNoise = (node, cpu) -> List.of();
  /** The noise sources of one Linux CPU of one node. */
  @FunctionalInterface
  public interface NodeNoise {
    List<NoiseSource> sources(int node, int cpu);
  }

  private int nodes = 1;
  /** The nodes' IHK side, or null: the nodes start booted, at an unknown cost. */
  private IhkParts ihk;
  /** Whether every node boots in virtual time before its processes launch. */
  private boolean simulateBoot;
  /** Whether each node's operator boots the partition at time 0; otherwise it waits for commands (the shell). */
  private boolean bootPartition = true;
  /** Per physical CPU: the OS instance whose McKernel CPU runs on it and its McKernel index, or -1. */
  private int[] osOfCpu = new int[0];
  private int[] indexOfCpu = new int[0];
  /** The boot's cost for nodes that start booted, once computed; -1 before. */
  private long bootedCostNs = -1;
  private final NodeLayout ihkLayout = new IhkLayout();
  private Wiring wiring;
  private Wiring.Group operatorGroup;
  private Wiring.Group masterGroup;
  private Wiring.Group instanceGroup;
  private Wiring.Group linuxGroup;
  /** Another OS design's routes for the McKernel CPUs' system calls, or null for McKernel's table. */
  private java.util.function.Function<String, io.mcksim.mckernel.CallRoute> routes;
  private Wiring.Group nativeGroup;
  /** The processes Linux runs natively, and per native thread its process, thread and machine CPU. */
  private List<NativeProcess> natives = List.of();
  private int[] nativeProcessOf = new int[0];
  private int[] nativeThreadOf = new int[0];
  private int[] nativeCpuOf = new int[0];
  /** Per native process, its first thread's index among the node's native threads. */
  private int[] nativeFirst = new int[0];
  /** The noise of the CPUs native threads run on; null: the Linux CPUs' ({@link #withLinuxNoise}). */
  private NodeNoise nativeNoise;
  /** One IPC to the Linux server and back, when native calls go to it; -1: they run in place. */
  private long serverIpcNs = -1;
  /** The machine native programs see in /proc and /sys: its CPUs and memory. */
  private int machineCpus = 1;
  private long machineMemory;
  /** The BSP application the processes are the ranks of, or null. */
  private RankMember.Ranks ranks;
  /** The latency of a message between two parts of one McKernel. */
  private long kernelHopNs = DEFAULT_KERNEL_HOP;
  /** Whether the proxies wait for {@link ProxyProcess.Exec} from outside the node model (without its IHK side). */
  private boolean execOnDemand;
  /** The fault rules of each IKC channel's writer, by node; none unless told. */
  private IkcFaults ikcFaults = (node, spec) -> List.of();
  /** Told every entity the model creates, with its node (a fault campaign's wiring); null: none. */
  private java.util.function.ObjIntConsumer<SimEntity> onCreate;

  /** The fault rules the writer of IKC channel {@code spec} of node {@code node} applies. */
  @FunctionalInterface
  public interface IkcFaults {
    List<io.mcksim.ikc.FaultRule> rules(int node, ChannelSpec spec);
  }

  /**
   * A message between two parts of one McKernel (a CPU and a process's address space, the memory
   * partitions, the process table), unless told otherwise: about one cross-core cache-line transfer.
   * An assumption, not a measurement.
   */
  public static final long DEFAULT_KERNEL_HOP = 100;

  /** The engine's window for a single node: no message leaves the node, so any width is exact. */
  static final long ONE_NODE_LOOKAHEAD = 100;
  private SimEntity[] entities;
  /** The node's Linux CPUs the proxies' workers run on, each a {@link LinuxService}. */
  private int[] linuxCpus;

  /** Process slots kept free for forks unless told otherwise. */
  public static final int DEFAULT_SPARE_SLOTS = 4;

  /**
   * @param physicalCpus the instance's CPUs in McKernel order
   * @param ikcMap       the instance's IKC map ({@code ihkosctl set ikc_map}), empty for the default
   */
  public HybridModel(List<Integer> physicalCpus, String ikcMap, List<Process> processes,
      SyscallTable table, IkcCostSettings ikc, OffloadCosts offload, SyscallCosts syscalls,
      RemoteFaultCosts faults, McKernelCosts scheduler, LaunchCosts launch, long seed) {
    this(physicalCpus, ikcMap, processes, DEFAULT_SPARE_SLOTS, new long[] {DEFAULT_MEMORY}, false, table,
        ikc, offload, syscalls, faults, scheduler, launch, seed);
  }

  /** McKernel memory (NUMA 0) unless told otherwise. */
  public static final long DEFAULT_MEMORY = 1L << 30;

  /**
   * A node of one OS instance, with {@code spareSlots} process slots for forks.
   *
   * @param numaBytes    the instance's McKernel memory per NUMA node (processes draw from NUMA 0)
   * @param anonOnDemand the {@code anon_on_demand} kernel argument: no premapping at mmap
   */
  public HybridModel(List<Integer> physicalCpus, String ikcMap, List<Process> processes,
      int spareSlots, long[] numaBytes, boolean anonOnDemand, SyscallTable table, IkcCostSettings ikc,
      OffloadCosts offload, SyscallCosts syscalls, RemoteFaultCosts faults, McKernelCosts scheduler,
      LaunchCosts launch, long seed) {
    this(physicalCpus.isEmpty() ? List.of() : List.of(new Instance(physicalCpus, ikcMap, numaBytes)), processes,
        spareSlots, anonOnDemand, table, ikc, offload, syscalls, faults, scheduler, launch, seed);
  }

  /**
   * A node of several OS instances ({@code partition.instances}), each with its own McKernel CPUs,
   * memory partitions, process table, IKC channels, mcctrl side and proxies; each process runs on the
   * instance it names ({@link Process#instance()}), and each instance keeps {@code spareSlots} process
   * slots for forks.
   *
   * @param anonOnDemand the {@code anon_on_demand} kernel argument: no premapping at mmap
   */
  public HybridModel(List<Instance> instances, List<Process> processes, int spareSlots, boolean anonOnDemand,
      SyscallTable table, IkcCostSettings ikc, OffloadCosts offload, SyscallCosts syscalls,
      RemoteFaultCosts faults, McKernelCosts scheduler, LaunchCosts launch, long seed) {
    if (spareSlots < 0) {
      throw new IllegalArgumentException("spare process slots: " + spareSlots);
    }
    this.anonOnDemand = anonOnDemand;
    this.spareSlots = spareSlots;
    this.scheduler = scheduler;
    this.launch = launch;
    this.processes = List.copyOf(processes);
    this.table = table;
    this.ikc = ikc;
    this.offload = offload;
    this.syscalls = syscalls;
    this.faults = faults;
    this.seed = seed;
    this.slotOfProcess = new int[processes.size()];
    int firstSlot = 0;
    for (int k = 0; k < instances.size(); k++) {
      Os os = new Os(k, instances.get(k), firstSlot);
      oses.add(os);
      firstSlot += os.slots;
    }
    int maxCpu = instances.stream().flatMap(i -> i.cpus().stream()).mapToInt(Integer::intValue).max().orElse(-1);
    this.osOfCpu = new int[maxCpu + 1];
    this.indexOfCpu = new int[maxCpu + 1];
    java.util.Arrays.fill(osOfCpu, -1);
    for (int k = 0; k < instances.size(); k++) {
      List<Integer> cpus = instances.get(k).cpus();
      for (int i = 0; i < cpus.size(); i++) {
        osOfCpu[cpus.get(i)] = k;
        indexOfCpu[cpus.get(i)] = i;
      }
    }
    for (int p = 0; p < processes.size(); p++) {
      if (processes.get(p).instance() >= oses.size()) {
        throw new IllegalArgumentException("process " + p + " runs on OS instance " + processes.get(p).instance()
            + ", but the node has " + (oses.isEmpty() ? "none" : "instances 0-" + (oses.size() - 1)));
      }
    }
    java.util.TreeSet<Integer> readers = new java.util.TreeSet<>();
    for (Os os : oses) {
      for (int i = 0; i < os.cpus; i++) {
        readers.add(os.topology.toLinux(i).readerCpu());
      }
    }
    this.linuxCpus = readers.stream().mapToInt(Integer::intValue).toArray();
    this.entities = new SimEntity[entityCount()];
  }

  /**
   * One OS instance of the node and its part of the declaration: its McKernel CPUs, its IKC channels
   * (its map onto Linux CPUs), its memory partitions, its processes (their slots and pids), its process
   * table, its mcctrl side and its proxies.
   */
  private final class Os {
    final int index;
    final int cpus;
    /** Its CPUs' physical numbers, in McKernel order. */
    final List<Integer> physical;
    final IkcTopology topology;
    final boolean ikcMapped;
    final long[] numaBytes;
    int[] numaOfCpu;
    /** The processes on it, by their index among the node's processes, in order: slot k runs the k-th. */
    final int[] members;
    /** Its processes' slots, spare ones included; its pids are {@code FIRST_PID + firstSlot + slot}. */
    final int slots;
    final int firstSlot;
    Wiring.Group mcctrl;
    Wiring.Group cpu;
    Wiring.Group proxy;
    Wiring.Group process;
    Wiring.Group table;
    Wiring.Group partition;
    /** Its CPUs' entities (of the node last asked for), shared by them (read only); their start load. */
    /**
     * Each is computed whole and then published: a restart (the supervision tree) creates entities while
     * the run goes on, from whichever thread runs the restarted entity's node.
     */
    private volatile NodeCpus cpuEntities;
    private volatile int[] initialLoad;
    /** Its proxies' workers' Linux CPUs, as indices of {@link #linuxCpus}, for the array they index. */
    private volatile Workers workers;

    Os(int index, Instance inst, int firstSlot) {
      this.index = index;
      this.cpus = inst.cpus().size();
      this.physical = inst.cpus();
      this.topology = IkcTopology.of(inst.cpus(), inst.ikcMap());
      this.ikcMapped = inst.ikcMapped();
      this.numaBytes = inst.numaBytes();
      this.numaOfCpu = inst.numaOfCpu();
      this.firstSlot = firstSlot;
      List<Integer> on = new ArrayList<>();
      for (int p = 0; p < processes.size(); p++) {
        Process proc = processes.get(p);
        if (proc.instance() == index) {
          on.add(p);
          for (int c : proc.cpus()) {
            if (c < 0 || c >= cpus) {
              throw new IllegalArgumentException("process " + p + " runs on McKernel CPU " + c + ", but "
                  + (index == 0 ? "the instance" : "instance " + index) + " has CPUs 0-" + (cpus - 1));
            }
          }
        }
      }
      this.members = on.stream().mapToInt(Integer::intValue).toArray();
      for (int slot = 0; slot < members.length; slot++) {
        slotOfProcess[members[slot]] = slot;
      }
      this.slots = members.length + spareSlots;
    }

    /** The process in slot {@code slot}, or null for a slot that waits for a fork. */
    Process processIn(int slot) {
      return slot < members.length ? processes.get(members[slot]) : null;
    }

    int pid(int slot) {
      return FIRST_PID + firstSlot + slot;
    }

    int slotOfPid(int pid) {
      return pid - FIRST_PID - firstSlot;
    }

    /** Its CPUs' entities on node {@code node}. */
    int[] cpuEntitiesOf(int node) {
      NodeCpus known = cpuEntities;
      if (known == null || known.node() != node) {
        int[] ids = new int[cpus];
        for (int i = 0; i < cpus; i++) {
          ids[i] = wiring().id(node, cpu, i);
        }
        known = new NodeCpus(node, ids);
        cpuEntities = known;
      }
      return known.ids();
    }

    /** The threads each of its CPUs starts with, the same on every node. */
    int[] initialLoad() {
      int[] load = initialLoad;
      if (load == null) {
        load = new int[cpus];
        for (int p : members) {
          for (int c : processes.get(p).cpus()) {
            load[c]++;
          }
        }
        initialLoad = load;
      }
      return load;
    }

    /**
     * The Linux CPUs its proxies' workers run on, as indices of {@link #linuxCpus}: with an IKC map set,
     * the Linux CPUs the map names, where mcexec binds itself ({@code mcexec.c}: {@code ikc_mapped &&
     * !no_bind_ikc_map}); without one, every Linux CPU the workers may use.
     */
    int[] workers() {
      Workers known = workers;
      if (known == null || known.of() != linuxCpus) {
        int[] workers;
        if (!ikcMapped) {
          workers = java.util.stream.IntStream.range(0, linuxCpus.length).toArray();
        } else {
          java.util.TreeSet<Integer> targets = new java.util.TreeSet<>();
          for (int i = 0; i < cpus; i++) {
            targets.add(topology.toLinux(i).readerCpu());
          }
          workers = new int[targets.size()];
          int k = 0;
          for (int target : targets) {
            int at = -1;
            for (int j = 0; j < linuxCpus.length; j++) {
              if (linuxCpus[j] == target) {
                at = j;
              }
            }
            if (at < 0) {
              throw new IllegalArgumentException("instance " + index + "'s IKC map names Linux CPU " + target
                  + ", which is not among the node's Linux CPUs " + java.util.Arrays.toString(linuxCpus));
            }
            workers[k++] = at;
          }
        }
        known = new Workers(workers, linuxCpus);
        this.workers = known;
      }
      return known.workers();
    }

    /** The partitions, {@code preferred} first, then the others by NUMA number. */
    List<Integer> partitionsFrom(int node, int preferred) {
      List<Integer> order = new ArrayList<>();
      order.add(wiring().id(node, partition, preferred));
      for (int n = 0; n < numaBytes.length; n++) {
        if (n != preferred) {
          order.add(wiring().id(node, partition, n));
        }
      }
      return order;
    }
  }

  /**
   * A node without McKernel: Linux runs every process natively ({@link #withNatives}). The costs other
   * than {@code syscalls} are those of a McKernel the node does not have: nothing uses them.
   */
  public static HybridModel linux(SyscallTable table, IkcCostSettings ikc, OffloadCosts offload,
      SyscallCosts syscalls, RemoteFaultCosts faults, McKernelCosts scheduler, LaunchCosts launch, long seed) {
    return new HybridModel(List.of(), List.of(), 0, false, table, ikc, offload, syscalls, faults, scheduler,
        launch, seed);
  }

  /** Whether the node has a McKernel instance. */
  public boolean hasMcKernel() {
    return !oses.isEmpty();
  }

  /** The node's McKernel OS instances. */
  public int instances() {
    return oses.size();
  }

  /** The McKernel CPUs of OS instance {@code os}. */
  public int cpusOf(int os) {
    return oses.get(os).cpus;
  }

  /** The OS instance of process {@code p} (an index of the node's processes). */
  public int instanceOf(int p) {
    return processes.get(p).instance();
  }

  /** Process {@code p}'s slot in its instance. */
  public int slotOf(int p) {
    return slotOfProcess[p];
  }

  /** The pid of process {@code p}: its proxy's. */
  public int pidOf(int p) {
    return oses.get(instanceOf(p)).pid(slotOf(p));
  }

  /**
   * Processes Linux runs natively on the node, one {@link LinuxCpu} per thread; their pids follow the
   * McKernel processes' slots. Call before the model runs.
   */
  public HybridModel withNatives(List<NativeProcess> processes) {
    this.natives = List.copyOf(processes);
    int threads = natives.stream().mapToInt(p -> p.cpus().size()).sum();
    nativeProcessOf = new int[threads];
    nativeThreadOf = new int[threads];
    nativeCpuOf = new int[threads];
    nativeFirst = new int[natives.size()];
    int k = 0;
    for (int p = 0; p < natives.size(); p++) {
      nativeFirst[p] = k;
      for (int t = 0; t < natives.get(p).cpus().size(); t++, k++) {
        nativeProcessOf[k] = p;
        nativeThreadOf[k] = t;
        nativeCpuOf[k] = natives.get(p).cpus().get(t);
      }
    }
    this.wiring = null;
    this.entities = new SimEntity[entityCount()];
    return this;
  }

  /**
   * The noise of the CPUs the native threads run on, when it is not the Linux CPUs' (an L4 core's, or a
   * container's cpuset). Call before the model runs.
   */
  public HybridModel withNativeNoise(NodeNoise sources) {
    this.nativeNoise = sources;
    return this;
  }

  /**
   * Linux runs as a server (L4Linux): every call of a native thread is an IPC of {@code ipcNs} to the
   * server, served natively on one of the node's Linux CPUs ({@link #withLinuxCpus}; thread k's on the
   * (k mod n)-th), and an IPC back. Call before the model runs.
   */
  public HybridModel withLinuxServer(long ipcNs) {
    if (ipcNs < 1) {
      throw new IllegalArgumentException("an IPC to the Linux server takes at least 1 ns, got " + ipcNs);
    }
    this.serverIpcNs = ipcNs;
    this.wiring = null;
    return this;
  }

  /** The machine the native programs' /proc and /sys reads show: its CPUs, its memory. */
  public HybridModel withMachineView(int cpus, long memoryBytes) {
    this.machineCpus = cpus;
    this.machineMemory = memoryBytes;
    return this;
  }

  /** The pid of native process {@code p}: after the McKernel processes' slots. */
  public int nativePid(int p) {
    int slots = 0;
    for (int k = 0; k < oses.size(); k++) { // (no stream: asked once per native CPU of the machine)
      slots += oses.get(k).slots;
    }
    return FIRST_PID + slots + p;
  }

  /** Native threads on a node. */
  public int nativeThreads() {
    return nativeCpuOf.length;
  }

  /** After a run: the Linux CPU of native thread {@code k} of node 0 (threads process by process). */
  public LinuxCpu nativeCpu(int k) {
    return (LinuxCpu) entities[nativeEntity(0, k)];
  }

  public int nativeEntity(int node, int k) {
    return wiring().id(node, nativeGroup, k);
  }

  /**
   * The node's Linux CPUs (machine CPU numbers) the proxies' worker threads run on: worker w of a proxy
   * on the (w mod n)-th of them, or, on an instance with an IKC map set, of the Linux CPUs the map names
   * (which must be among them). Without it, the CPUs that take the instances' IKC interrupts. Call
   * before the model runs.
   */
  public HybridModel withLinuxCpus(int[] cpus) {
    if (cpus.length == 0) {
      throw new IllegalArgumentException("the proxies' workers need at least one Linux CPU");
    }
    this.linuxCpus = cpus.clone();
    this.wiring = null;
    this.entities = new SimEntity[entityCount()];
    return this;
  }

  /** After a run: the {@code k}-th Linux CPU the workers run on. */
  public io.mcksim.linux.LinuxService linuxService(int k) {
    return (io.mcksim.linux.LinuxService) entities[linuxServiceEntity(k)];
  }

  public int linuxServiceCount() {
    return linuxCpus.length;
  }

  /**
   * Puts noise profile {@code profile} (one of {@link NoiseProfile#NAMES}) on the node's Linux CPUs,
   * where mcctrl's interrupt handler (on the IKC target CPU of each McKernel CPU) and the proxies'
   * workers (see {@link #withLinuxCpus}) run; without it they are quiet. Call before the model runs.
   */
  public HybridModel withLinuxNoise(String profile) {
    NoiseProfile.sources(profile, seed, 0, 0); // rejects an unknown profile now
    return withLinuxNoise((node, cpu) -> NoiseProfile.sources(profile, seed, node, cpu));
  }

  /** The same with the noise sources of each Linux CPU given (see {@link NoiseProfile#of}). */
  public HybridModel withLinuxNoise(java.util.function.IntFunction<List<NoiseSource>> sourcesOfCpu) {
    this.linuxNoise = (node, cpu) -> sourcesOfCpu.apply(cpu);
    return this;
  }

  /** The same with the noise sources of each Linux CPU of each node given. */
  public HybridModel withLinuxNoise(NodeNoise sources) {
    this.linuxNoise = sources;
    return this;
  }

  /**
   * Runs the lightweight kernel's system calls by another OS design's routes (mOS, Hobbes) instead of
   * McKernel's syscall table; a call forwarded to Linux from McKernel CPU k goes to the (k mod n)-th of
   * the n Linux CPUs its instance's proxies' workers use. Call before the model runs.
   */
  public HybridModel withRoutes(java.util.function.Function<String, io.mcksim.mckernel.CallRoute> routes) {
    this.routes = routes;
    return this;
  }

  /**
   * Makes the processes the ranks of a BSP application, node by node (rank {@code node x processes +
   * p}): their threads' {@code collective} ops meet at the barrier of their rank, whose first thread's
   * CPU takes the rank's part in the collective over the interconnect. The processes are the McKernel
   * ones, or on a node without them the native ones. McKernel processes may be several launches of the
   * ranks, one after another (a job requeued after a failure: process p is rank {@code p mod
   * ranks-per-node} of launch {@code p / ranks-per-node}, whose ranks start over). Call before the model
   * runs.
   *
   * @param shape     the collective, the ranks and the interconnect; its ranks per node must be the
   *                  number of processes
   * @param barrierNs one crossing of the on-node barrier of a rank's threads
   */
  public HybridModel withRanks(RankSync.Shape shape, long barrierNs) {
    boolean mckernel = !processes.isEmpty();
    List<List<Integer>> cpus = mckernel ? processes.stream().map(Process::cpus).toList()
        : natives.stream().map(NativeProcess::cpus).toList();
    int perNode = shape.ranksPerNode();
    boolean launches = mckernel && cpus.size() % perNode == 0 && cpus.size() / perNode <= RankSync.MAX_EPOCH + 1;
    if ((cpus.size() != perNode && !launches) || shape.ranks() != (long) nodes * perNode) {
      throw new IllegalArgumentException("the collective has " + shape.ranks() + " ranks, " + shape.ranksPerNode()
          + " per node, but the machine has " + nodes + " nodes of " + cpus.size() + " processes");
    }
    for (List<Integer> c : cpus) {
      if (c.size() != shape.threadsPerRank()) {
        throw new IllegalArgumentException("every rank needs " + shape.threadsPerRank() + " threads; a process"
            + " has " + c.size());
      }
    }
    if (shape.threadsPerRank() > 1 && barrierNs < 1) {
      throw new IllegalArgumentException("the barrier of a rank's threads takes at least 1 ns, got " + barrierNs);
    }
    java.util.function.IntBinaryOperator thread = mckernel
        ? (rank, t) -> rankThreadEntity(rank, t, perNode)
        : (rank, t) -> nativeEntity(rank / perNode, nativeFirst[rank % perNode] + t);
    this.ranks = new RankMember.Ranks(shape, barrierNs, rank -> thread.applyAsInt(rank, 0), thread);
    this.wiring = null;
    return this;
  }

  /**
   * Per process of a node, the node-local id of each of its threads' McKernel CPUs, as the wiring they
   * were read from numbers them: a rank's collective messages and releases go to its threads' CPUs
   * several times per iteration, and the lists and groups behind an id need not be read each time.
   */
  private record RankThreads(Wiring wiring, int[][] local) {}

  /** Made on first use, and anew when the wiring has changed since (a race makes equal copies). */
  private RankThreads rankThreads;

  /** The entity of thread {@code t} of global rank {@code rank}, {@code perNode} ranks to a node. */
  private int rankThreadEntity(int rank, int t, int perNode) {
    Wiring w = wiring();
    RankThreads r = rankThreads;
    if (r == null || r.wiring() != w) {
      int[][] local = new int[processes.size()][];
      for (int p = 0; p < local.length; p++) {
        List<Integer> cpus = processes.get(p).cpus();
        Wiring.Group group = oses.get(instanceOf(p)).cpu;
        local[p] = new int[cpus.size()];
        for (int k = 0; k < local[p].length; k++) {
          local[p][k] = w.id(0, group, cpus.get(k));
        }
      }
      r = new RankThreads(w, local);
      rankThreads = r;
    }
    return rank / perNode * w.perNode() + r.local()[rank % perNode][t];
  }

  /**
   * Gives the nodes their IHK side. With {@code simulate} ({@code run.boot = simulate}), every node
   * boots through it in virtual time before its processes launch; without, the nodes start booted and
   * the boot's cost is computed once, by booting one node alone ({@link IhkNodes#bootAloneNs}). Call
   * before the model runs.
   */
  public HybridModel withBoot(IhkParts parts, boolean simulate) {
    this.ihk = parts;
    this.simulateBoot = simulate;
    this.bootedCostNs = -1;
    this.wiring = null;
    this.entities = new SimEntity[entityCount()];
    return this;
  }

  /**
   * The nodes boot in virtual time through their IHK side, but their operators start with nothing to do:
   * everything is owned by Linux until commands come from outside the model (the admin shell's
   * starting point). Call after {@link #withBoot}, before the model runs.
   */
  public HybridModel withPartitionOff() {
    if (ihk == null || !simulateBoot) {
      throw new IllegalStateException("a node without a simulated boot has no operator to wait for commands");
    }
    this.bootPartition = false;
    return this;
  }

  /**
   * What a node takes from power-on (everything owned by Linux) until its workload starts: {@code
   * mcreboot.sh} through IHK's verbs until it has seen every instance RUNNING, then the job's message
   * that runs mcexec. With the boot simulated, read from this JVM's nodes after the run (the latest of
   * them; -1 if one has not booted); with the nodes started booted, computed once by booting one node
   * alone with the same entities. -1 without {@link #withBoot}. The workload's own times (a thread's
   * start, a call's latency) never include it, except as the offset of absolute times under a simulated
   * boot.
   */
  public long bootNs() {
    if (ihk == null) {
      return -1;
    }
    if (!simulateBoot) {
      if (bootedCostNs < 0) {
        bootedCostNs = IhkNodes.bootAloneNs(ihk.scenario()) + launchLatency();
      }
      return bootedCostNs;
    }
    long latest = -1;
    for (SimEntity e : entities) {
      if (e instanceof Operator op) {
        if (op.readyAt() < 0) {
          return -1;
        }
        latest = Math.max(latest, op.readyAt());
      }
    }
    return latest < 0 ? -1 : latest + launchLatency();
  }

  /** The job's message that runs mcexec once the node has booted: one management message. */
  private long launchLatency() {
    return ihk.costs().message();
  }

  /**
   * The proxies start when something outside the node model runs mcexec ({@link ProxyProcess.Exec}), not
   * at time 0 nor when the operator's boot is over (a job manager runs them). Call before the model runs.
   */
  public HybridModel withExecOnDemand() {
    this.execOnDemand = true;
    return this;
  }

  /** Fault rules on the node's IKC channels, applied by each channel's writer. Call before the model runs. */
  public HybridModel withIkcFaults(IkcFaults faults) {
    this.ikcFaults = faults;
    return this;
  }

  /**
   * {@code hook} is told every entity this model creates (IHK's included, and each fresh instance a
   * restart makes), with its node, before the run uses it (to give an entity whom to tell of its faults).
   * Call before the model runs.
   */
  public HybridModel onCreate(java.util.function.ObjIntConsumer<SimEntity> hook) {
    this.onCreate = hook;
    return this;
  }

  /** The latency of a message between two parts of one McKernel. Call before the model runs. */
  public HybridModel withKernelHop(long ns) {
    if (ns < 1) {
      throw new IllegalArgumentException("a message inside McKernel takes at least 1 ns, got " + ns);
    }
    this.kernelHopNs = ns;
    this.wiring = null;
    return this;
  }

  /**
   * Says which NUMA node each McKernel CPU of OS instance 0 belongs to ({@code numaOfCpu[i]} for McKernel
   * CPU i), so a process takes its memory from its first CPU's node first, then from the others in order; without
   * it, every CPU counts as NUMA 0's. Call before the model runs.
   */
  public HybridModel withCpuNuma(int[] numaOfCpu) {
    Os os = oses.get(0);
    Instance checked = new Instance(java.util.Collections.nCopies(os.cpus, 0), "", os.numaBytes, numaOfCpu);
    os.numaOfCpu = checked.numaOfCpu();
    return this;
  }

  /** A fresh noise timeline of Linux CPU {@code cpu}: each entity owns its own, all the same. */
  private NoiseTimeline linuxNoiseOf(int node, int cpu) {
    return new NoiseTimeline(linuxNoise.sources(node, cpu));
  }

  @Override
  public String name() {
    return hasMcKernel() ? "mckernel-node" : "linux-node";
  }

  @Override
  public long seed() {
    return seed;
  }

  /**
   * Runs {@code count} identical nodes, each its own domain, each with the same processes; the noise of
   * each node's Linux CPUs comes from its own streams. Call before the model runs.
   */
  public HybridModel withNodes(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a machine needs at least one node, got " + count);
    }
    if ((long) count * wiring().perNode() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(count + " nodes of " + wiring().perNode()
          + " entities are more than one run can number");
    }
    this.nodes = count;
    this.entities = new SimEntity[entityCount()];
    return this;
  }

  public int nodes() {
    return nodes;
  }

  /** The node's entities and links; built on first use, after the {@code with} calls. */
  public Wiring wiring() {
    if (wiring == null) {
      Wiring.Builder w = Wiring.builder();
      // the node's IHK side, present only when the node boots in the run
      boolean boots = booting();
      operatorGroup = w.group("operator", boots ? 1 : 0);
      masterGroup = w.group("ihk-master", boots ? 1 : 0);
      instanceGroup = w.group("os-instance", boots ? ihk.maxInstances() : 0);
      // each OS instance's own entities, instance by instance (instance 0's groups keep their plain names)
      for (Os os : oses) {
        String of = os.index == 0 ? "" : "@mcos" + os.index;
        os.mcctrl = w.group("mcctrl" + of, 1);
        os.cpu = w.group("mckernel-cpu" + of, os.cpus);
        os.proxy = w.group("proxy" + of, os.slots);
        os.process = w.group("process" + of, os.slots);
        os.table = w.group("process-table" + of, 1);
        os.partition = w.group("memory-partition" + of, os.numaBytes.length);
      }
      linuxGroup = w.group("linux-cpu", linuxCpus.length);
      for (Os os : oses) {
        // IKC: a packet's trip through a ring (its credit comes back in costs.ikc.credit)
        w.both(os.cpu, os.mcctrl, ikc.latency());
        // mcctrl hands a request to a proxy, the proxy writes its answer through mcctrl
        w.both(os.mcctrl, os.proxy, ikc.ipi() + offload.mcctrlDispatch());
        // a proxy's worker runs on a Linux CPU of the node
        w.both(os.proxy, linuxGroup, io.mcksim.linux.LinuxService.HOP);
        // the parts of one McKernel: a CPU, the processes' address spaces, memory, the process table
        w.both(os.cpu, os.process, kernelHopNs);
        w.both(os.cpu, os.cpu, kernelHopNs);
        w.both(os.process, os.partition, kernelHopNs);
        w.both(os.partition, os.partition, kernelHopNs);
        w.both(os.process, os.table, kernelHopNs);
        w.both(os.table, os.cpu, kernelHopNs);
        w.both(os.table, os.proxy, kernelHopNs);
        w.both(os.process, os.proxy, kernelHopNs);
      }
      if (boots) {
        // IHK's management messages (costs.lifecycle.message): the operator's commands to the master and
        // its replies; the master's orders to an instance and its reports and kernel log; an instance's
        // orders to the CPUs and memory it brings up, and their answers
        long message = ihk.costs().message();
        w.both(operatorGroup, masterGroup, message);
        w.both(masterGroup, instanceGroup, message);
        // the node's job runs mcexec once mcreboot.sh has returned
        for (Os os : oses) {
          // an instance brings up its CPUs and memory and supervises them with its processes and process
          // table; mcctrl watches it
          w.both(instanceGroup, os.cpu, message);
          w.both(instanceGroup, os.process, message);
          w.both(instanceGroup, os.table, message);
          w.both(instanceGroup, os.mcctrl, message);
          w.both(instanceGroup, os.partition, message);
          w.link(operatorGroup, os.proxy, launchLatency());
        }
      }
      if (ranks != null) {
        RankSync.Shape shape = ranks.shape();
        for (Os a : oses) {
          for (Os b : oses) {
            // the interconnect: a collective's message from a rank's first CPU to another node's
            w.between(a.cpu, b.cpu, shape.inter().latencyNs() + shape.inter().overheadNs());
            if (a != b && shape.ranksPerNode() > 1) {
              // ranks of one node on two instances: the collective's messages through shared memory
              w.link(a.cpu, b.cpu, shape.intra().latencyNs() + shape.intra().overheadNs());
            }
          }
        }
      }
      nativeGroup = w.group("native-cpu", nativeCpuOf.length);
      // a native thread's call to the Linux server's CPU, and its answer
      w.both(nativeGroup, linuxGroup, LinuxService.HOP);
      if (ranks != null && processes.isEmpty()) {
        // native ranks: a rank's threads meet at its barrier; ranks of one node, and of two nodes,
        // exchange the collective's messages
        RankSync.Shape shape = ranks.shape();
        if (shape.threadsPerRank() > 1) {
          w.both(nativeGroup, nativeGroup, ranks.barrierNs());
        }
        if (shape.ranksPerNode() > 1) {
          w.both(nativeGroup, nativeGroup, shape.intra().latencyNs() + shape.intra().overheadNs());
        }
        w.between(nativeGroup, nativeGroup, shape.inter().latencyNs() + shape.inter().overheadNs());
      }
      wiring = w.build();
    }
    return wiring;
  }

  @Override
  public int entityCount() {
    return nodes * wiring().perNode();
  }

  @Override
  public int domainCount() {
    return nodes;
  }

  @Override
  public int domainOf(int entity) {
    return wiring().nodeOf(entity);
  }

  /** The smallest latency of a link between nodes; one node has none, so the whole run is its window. */
  @Override
  public long lookahead() {
    return nodes == 1 ? Math.max(wiring().localLookahead(), ONE_NODE_LOOKAHEAD) : wiring().lookahead();
  }

  @Override
  public long localLookahead() {
    return wiring().localLookahead();
  }

  /**
   * On the actor engine every IKC packet of a node, on each of its instances' channels in both
   * directions, travels through the node's {@link IkcTransport}: a lane per channel that carries
   * traffic.
   */
  @Override
  public IkcTransport streamTransport() {
    return transport;
  }

  public int operatorEntity(int node) {
    return wiring().id(node, operatorGroup, 0);
  }

  public int masterEntity(int node) {
    return wiring().id(node, masterGroup, 0);
  }

  public int mcctrlEntity() {
    return mcctrlEntity(0);
  }

  /** Node {@code node}'s mcctrl side of OS instance 0. */
  public int mcctrlEntity(int node) {
    return mcctrlEntity(node, 0);
  }

  /** Node {@code node}'s mcctrl side of OS instance {@code os}. */
  public int mcctrlEntity(int node, int os) {
    return wiring().id(node, oses.get(os).mcctrl, 0);
  }

  public int cpuEntity(int index) {
    return cpuEntity(0, index);
  }

  /** McKernel CPU {@code index} of node {@code node}'s OS instance 0. */
  public int cpuEntity(int node, int index) {
    return cpuEntity(node, 0, index);
  }

  /** McKernel CPU {@code index} of node {@code node}'s OS instance {@code os}. */
  public int cpuEntity(int node, int os, int index) {
    return wiring().id(node, oses.get(os).cpu, index);
  }

  public int proxyEntity(int slot) {
    return proxyEntity(0, slot);
  }

  /** The proxy of process slot {@code slot} of node {@code node}'s OS instance 0. */
  public int proxyEntity(int node, int slot) {
    return proxyEntity(node, 0, slot);
  }

  public int proxyEntity(int node, int os, int slot) {
    return wiring().id(node, oses.get(os).proxy, slot);
  }

  public int processEntity(int slot) {
    return processEntity(0, slot);
  }

  /** The McKernel process in slot {@code slot} of node {@code node}'s OS instance 0. */
  public int processEntity(int node, int slot) {
    return processEntity(node, 0, slot);
  }

  public int processEntity(int node, int os, int slot) {
    return wiring().id(node, oses.get(os).process, slot);
  }

  public int processTableEntity() {
    return processTableEntity(0);
  }

  public int processTableEntity(int node) {
    return processTableEntity(node, 0);
  }

  public int processTableEntity(int node, int os) {
    return wiring().id(node, oses.get(os).table, 0);
  }

  public int partitionEntity(int numa) {
    return partitionEntity(0, numa);
  }

  public int partitionEntity(int node, int numa) {
    return partitionEntity(node, 0, numa);
  }

  public int partitionEntity(int node, int os, int numa) {
    return wiring().id(node, oses.get(os).partition, numa);
  }

  /** The entity of the {@code k}-th Linux CPU of {@link #withLinuxCpus}. */
  public int linuxServiceEntity(int k) {
    return linuxServiceEntity(0, k);
  }

  public int linuxServiceEntity(int node, int k) {
    return wiring().id(node, linuxGroup, k);
  }

  /**
   * The node's supervision tree, on a node that boots through IHK: IHK's master supervises the OS
   * instances with the reboot policy ({@link #rebootPolicy}); an instance supervises its McKernel CPUs,
   * memory partitions, processes and process table and escalates their failures (a CPU's panic is the
   * instance's PANIC), so a failed kernel takes its processes with it. mcctrl watches its instance and
   * each proxy (mcexec) its process. Failure
   * notices take one management message ({@code costs.lifecycle.message}). Nothing is supervised on a
   * node that starts booted.
   */
  @Override
  public io.mcksim.actors.engine.Supervision supervision(int id) {
    if (!booting()) {
      return null;
    }
    Wiring w = wiring();
    int node = w.nodeOf(id);
    Wiring.Group g = w.groupOf(id);
    long notice = ihk.costs().message();
    if (g == instanceGroup) {
      return new io.mcksim.actors.engine.Supervision(masterEntity(node), notice, rebootPolicy());
    }
    Os os = osOf(g);
    if (os != null && (g == os.cpu || g == os.partition || g == os.process || g == os.table)) {
      return new io.mcksim.actors.engine.Supervision(wiring().id(node, instanceGroup, os.index), notice,
          io.mcksim.actors.engine.SupervisorStrategy.escalate());
    }
    return null;
  }

  /**
   * IHK's reboot policy as the master's strategy ({@code chaos.reboot}): {@code on-failure} restarts a
   * failed instance at most {@code max} times, each {@code backoff} after the failure is known, then
   * leaves it failed; {@code never} leaves it failed at once.
   */
  private io.mcksim.actors.engine.SupervisorStrategy rebootPolicy() {
    io.mcksim.actors.engine.SupervisorStrategy known = rebootPolicy;
    if (known == null) {
      known = rebootPolicyOf(ihk.scenario().chaos().reboot());
      rebootPolicy = known;
    }
    return known;
  }

  /** The reboot policy's strategy, made once per model (every instance of every node shares it). */
  private volatile io.mcksim.actors.engine.SupervisorStrategy rebootPolicy;

  private io.mcksim.actors.engine.SupervisorStrategy rebootPolicyOf(io.mcksim.config.ChaosSettings.Reboot r) {
    if (!r.policy().equals("on-failure")) {
      return io.mcksim.actors.engine.SupervisorStrategy.stop();
    }
    long backoff = Math.max(r.backoffNs(), ihk.costs().message());
    return io.mcksim.actors.engine.SupervisorStrategy.restart(r.max(), backoff, backoff);
  }

  @Override
  public SimEntity createEntity(int id) {
    Wiring w = wiring();
    int node = w.nodeOf(id);
    Wiring.Group g = w.groupOf(id);
    int k = w.indexOf(id);
    SimEntity e = ihkEntity(node, g, k);
    if (e == null) {
      e = nodeEntity(node, g, k, id);
    }
    if (onCreate != null) {
      onCreate.accept(e, node);
    }
    entities[id] = e;
    return e;
  }

  /** Entity {@code k} of group {@code g} (not IHK's) on node {@code node}. */
  private SimEntity nodeEntity(int node, Wiring.Group g, int k, int id) {
    Os os = osOf(g);
    if (os != null) {
      return instanceEntity(node, os, g, k, id);
    } else if (g == linuxGroup) {
      return new io.mcksim.linux.LinuxService(linuxCpus[k], linuxNoiseOf(node, linuxCpus[k]));
    } else if (g == nativeGroup) {
      return nativeCpu(node, k, id);
    }
    throw new IllegalArgumentException("entity " + id + " (" + g.name() + ") is not declared by this model");
  }

  /** The OS instance group {@code g} belongs to, or null. */
  private Os osOf(Wiring.Group g) {
    for (Os os : oses) {
      if (g.ordinal() >= os.mcctrl.ordinal() && g.ordinal() <= os.partition.ordinal()) {
        return os;
      }
    }
    return null;
  }

  /** Which entity holds a process's address space, by pid, on one node's instance. */
  private record ProcessLookup(int node, Os os, java.util.function.IntUnaryOperator entityOfPid) {}

  /** The lookup made last: the CPUs of an instance are made one after another and share it. */
  private ProcessLookup lastProcessLookup;

  /**
   * The entity of the address space of process {@code pid} on instance {@code os} of node {@code node},
   * as one function shared by the instance's CPUs (a machine has millions of them).
   */
  private java.util.function.IntUnaryOperator processOfPid(int node, Os os) {
    ProcessLookup last = lastProcessLookup;
    if (last == null || last.node() != node || last.os() != os) {
      int o = os.index;
      last = new ProcessLookup(node, os, pid -> processEntity(node, o, os.slotOfPid(pid)));
      lastProcessLookup = last;
    }
    return last.entityOfPid();
  }

  /** Entity {@code k} of group {@code g} of OS instance {@code os} on node {@code node}. */
  private SimEntity instanceEntity(int node, Os os, Wiring.Group g, int k, int id) {
    Wiring w = wiring();
    int o = os.index;
    if (g == os.mcctrl) {
      List<ChannelSpec> up = new ArrayList<>(new LinkedHashSet<>(channelsToLinux(os)));
      ChannelSpec master = os.topology.master();
      if (booting()) {
        up.add(0, master); // the CPUs connect their channels over it as IHK brings them up
      }
      List<IkcSender> down = new ArrayList<>();
      for (int i = 0; i < os.cpus; i++) {
        ChannelSpec spec = os.topology.toMckernel(i);
        down.add(new IkcSender(spec, spec.capacity(), id, cpuEntity(node, o, i), ikc, ikcFaults.rules(node, spec),
            seed));
      }
      Mcctrl mcctrl = new Mcctrl(up, down, ikc, offload, pid -> proxyEntity(node, o, os.slotOfPid(pid)),
          i -> cpuEntity(node, o, i), cpu -> linuxNoiseOf(node, cpu));
      if (booting()) {
        // the shutdown notifier remakes each channel to a McKernel CPU for the kernel IHK boots next
        mcctrl.withInstance(wiring().id(node, instanceGroup, o), w.latency(instanceGroup, os.mcctrl), i -> {
          ChannelSpec spec = os.topology.toMckernel(i);
          return new IkcSender(spec, spec.capacity(), id, cpuEntity(node, o, i), ikc, ikcFaults.rules(node, spec),
              seed);
        });
        // the master channel's McKernel end is read on CPU 0
        java.util.function.Supplier<IkcSender> toMaster = () -> new IkcSender(master, master.capacity(), id,
            cpuEntity(node, o, 0), ikc, ikcFaults.rules(node, master), seed);
        mcctrl.withMasterChannel(toMaster.get(), toMaster);
      }
      return mcctrl;
    } else if (g == os.cpu) {
      ChannelSpec spec = os.topology.toLinux(k);
      IkcSender sender = new IkcSender(spec, IkcSender.share(spec.capacity(), spec.writers().size()), id,
          mcctrlEntity(node, o), ikc, ikcFaults.rules(node, spec), seed);
      McKernelCpu cpu = new McKernelCpu(k, table, syscalls, offload, sender,
          new IkcReceiver(os.topology.toMckernel(k), ikc), faults, scheduler, launch,
          processOfPid(node, os), w.latency(os.cpu, os.process), threadsOn(node, os, k),
          os.cpuEntitiesOf(node), os.initialLoad());
      if (booting()) {
        cpu.withLifecycle(ihk.costs(), os.physical.get(k));
        ChannelSpec master = os.topology.master();
        cpu.withMasterChannel(new IkcSender(master, IkcSender.share(master.capacity(), os.cpus), id,
                mcctrlEntity(node, o), ikc, ikcFaults.rules(node, master), seed),
            k == 0 ? new IkcReceiver(master, ikc) : null, spec.writers().get(0) == k, i -> cpuEntity(node, o, i));
      }
      if (routes != null) {
        int[] workers = os.workers();
        cpu.withRoutes(routes, linuxServiceEntity(node, workers[k % workers.length]));
      }
      return ranks == null ? cpu : cpu.withRanks(ranks, seed);
    } else if (g == os.proxy) {
      Process p = os.processIn(k);
      int asked = p != null ? p.proxyWorkers() : 0;
      int[] workers = os.workers();
      ProxyProcess proxy = new ProxyProcess(os.pid(k), id, mcctrlEntity(node, o), asked > 0 ? asked : os.cpus,
          offload, faults, syscalls, launch, p != null ? p.cpus() : List.of(),
          wk -> linuxServiceEntity(node, workers[wk % workers.length]));
      if (booting()) {
        proxy.withProcess(processEntity(node, o, k), w.latency(os.process, os.proxy));
      }
      if (p != null) {
        proxy.withSignals(p.signals());
      }
      return simulateBoot || execOnDemand ? proxy.awaitExec() : proxy;
    } else if (g == os.process) {
      Process p = os.processIn(k);
      List<Integer> cpuEntities = new ArrayList<>();
      if (p != null) {
        for (int cpu : p.cpus()) {
          cpuEntities.add(cpuEntity(node, o, cpu));
        }
      }
      return new McProcess(os.pid(k), p != null ? p.dataBytes() : 0, proxyEntity(node, o, k),
          processTableEntity(node, o), w.latency(os.process, os.partition), cpuEntities,
          os.partitionsFrom(node, p != null && !p.cpus().isEmpty() ? os.numaOfCpu[p.cpus().get(0)] : 0),
          anonOnDemand, os.cpus).withLargestPage(scheduler.largestPage());
    } else if (g == os.partition) {
      MemoryPartition partition = new MemoryPartition(k, os.numaBytes[k], w.latency(os.partition, os.partition),
          k + 1 < os.numaBytes.length ? partitionEntity(node, o, k + 1) : -1);
      return booting() ? partition.withLifecycle(ihk.costs()) : partition;
    }
    List<Integer> free = new ArrayList<>();
    for (int slot = os.members.length; slot < os.slots; slot++) {
      free.add(slot);
    }
    return new ProcessTable(free, os.pid(0), slot -> processEntity(node, o, slot),
        slot -> proxyEntity(node, o, slot), w.latency(os.table, os.cpu), os.slots);
  }

  /** Native thread {@code k} of node {@code node} on its Linux CPU. */
  private LinuxCpu nativeCpu(int node, int k, int id) {
    int p = nativeProcessOf[k];
    int cpu = nativeCpuOf[k];
    NodeNoise noise = nativeNoise != null ? nativeNoise : linuxNoise;
    LinuxCpu c = new LinuxCpu(cpu, syscalls, natives.get(p).program(), new NoiseTimeline(noise.sources(node, cpu)))
        .withView(nativePid(p), machineCpus, machineMemory);
    if (serverIpcNs > 0) {
      if (linuxCpus.length == 0) {
        throw new IllegalStateException("calls go to the Linux server, but the node has no Linux CPU for it");
      }
      c.withServer(linuxServiceEntity(node, k % linuxCpus.length), serverIpcNs);
    }
    if (ranks != null && processes.isEmpty()) {
      c.withRank(ranks, seed, node * natives.size() + p, nativeThreadOf[k]);
    }
    return c;
  }

  /** Entity {@code k} of IHK group {@code g} on node {@code node}, or null if {@code g} is not IHK's. */
  private SimEntity ihkEntity(int node, Wiring.Group g, int k) {
    if (g == operatorGroup) {
      return ihk.operator(node, ihkLayout, bootPartition, execOnDemand ? Operator.Launcher.NONE : ctx -> {
        for (int p = 0; p < processes.size(); p++) {
          if (!processes.get(p).cpus().isEmpty()) {
            Os os = oses.get(instanceOf(p));
            int slot = slotOf(p);
            ctx.send(proxyEntity(node, os.index, slot), wiring().latency(operatorGroup, os.proxy), 0,
                new ProxyProcess.Exec(os.pid(slot)));
          }
        }
      });
    } else if (g == masterGroup) {
      return ihk.master(node, ihkLayout);
    } else if (g == instanceGroup) {
      return ihk.instance(node, k, ihkLayout);
    }
    return null;
  }

  /** Where a node's IHK entities are in this model's declaration. */
  private final class IhkLayout implements NodeLayout {

    @Override
    public int operator(int node) {
      return operatorEntity(node);
    }

    @Override
    public int master(int node) {
      return masterEntity(node);
    }

    @Override
    public int instance(int node, int os) {
      return wiring().id(node, instanceGroup, os);
    }

    /** The McKernel CPU on physical CPU {@code physical}, whichever instance of the partition has it. */
    @Override
    public int cpu(int node, int os, int index, int physical) {
      if (physical < 0 || physical >= osOfCpu.length || osOfCpu[physical] < 0) {
        return -1;
      }
      return cpuEntity(node, osOfCpu[physical], indexOfCpu[physical]);
    }

    /** Instance {@code os}'s memory partition (instance 0's for a slot beyond the partition's instances). */
    @Override
    public int numa(int node, int os, int numa) {
      return partitionEntity(node, os < oses.size() ? os : 0, numa);
    }
  }

  /** After a run: node {@code node}'s operator, which booted it (only with the boot simulated). */
  public Operator operator(int node) {
    return (Operator) entities[operatorEntity(node)];
  }

  /** After a run: node {@code node}'s IHK master (only with the boot simulated). */
  public io.mcksim.ihk.IhkMaster master(int node) {
    return (io.mcksim.ihk.IhkMaster) entities[masterEntity(node)];
  }

  private static List<ChannelSpec> channelsToLinux(Os os) {
    List<ChannelSpec> up = new ArrayList<>();
    for (int i = 0; i < os.cpus; i++) {
      up.add(os.topology.toLinux(i));
    }
    return up;
  }

  /** The threads McKernel CPU {@code index} of instance {@code os} starts with on node {@code node}. */
  private List<McKernelCpu.McThread> threadsOn(int node, Os os, int index) {
    List<McKernelCpu.McThread> threads = new ArrayList<>();
    for (int slot = 0; slot < os.members.length; slot++) {
      int p = os.members[slot];
      Process proc = processes.get(p);
      List<Integer> cpus = proc.cpus();
      for (int t = 0; t < cpus.size(); t++) {
        if (cpus.get(t) == index) {
          int pid = os.pid(slot);
          McKernelCpu.McThread thread = new McKernelCpu.McThread(pid, McProcess.threadId(pid, t),
              proc.programOf(t));
          if (ranks != null) {
            int perNode = ranks.shape().ranksPerNode();
            thread.inRank(node * perNode + p % perNode, t, p / perNode);
          }
          threads.add(thread);
        }
      }
    }
    return threads;
  }

  /** Whether the nodes boot in the run: they have their IHK side, which brings up their CPUs and memory. */
  private boolean booting() {
    return ihk != null && simulateBoot;
  }

  /** Whether this JVM created entity {@code id} (in a run spread over JVMs, only its own nodes'). */
  public boolean created(int id) {
    return entities[id] != null;
  }

  /** After a run: the entities this JVM created (in a run spread over JVMs, only its own nodes'). */
  public List<SimEntity> createdEntities() {
    List<SimEntity> out = new ArrayList<>();
    for (SimEntity e : entities) {
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** After a run: McKernel CPU {@code index} of OS instance 0. */
  public McKernelCpu cpu(int index) {
    return cpu(0, index);
  }

  /** After a run: McKernel CPU {@code index} of OS instance {@code os} (node 0). */
  public McKernelCpu cpu(int os, int index) {
    return (McKernelCpu) entities[cpuEntity(0, os, index)];
  }

  /** After a run: the proxy of slot {@code slot} of OS instance 0. */
  public ProxyProcess proxy(int slot) {
    return (ProxyProcess) entities[proxyEntity(slot)];
  }

  /** After a run: the proxy of process {@code p} (an index of the node's processes, on any instance). */
  public ProxyProcess proxyOf(int p) {
    return (ProxyProcess) entities[proxyEntity(0, instanceOf(p), slotOf(p))];
  }

  /** After a run: the McKernel process in slot {@code slot} of OS instance 0. */
  public McProcess process(int slot) {
    return (McProcess) entities[processEntity(slot)];
  }

  /** After a run: process {@code p} (an index of the node's processes, on any instance). */
  public McProcess processOf(int p) {
    return (McProcess) entities[processEntity(0, instanceOf(p), slotOf(p))];
  }

  /** After a run: OS instance 0's McKernel memory of NUMA node {@code numa}. */
  public MemoryPartition partition(int numa) {
    return (MemoryPartition) entities[partitionEntity(numa)];
  }

  /** After a run: entity {@code id}, if this JVM created it (else null). */
  public SimEntity entity(int id) {
    return entities[id];
  }

  /** After a run: OS instance {@code os}'s McKernel memory of NUMA node {@code numa}. */
  public MemoryPartition partition(int os, int numa) {
    return (MemoryPartition) entities[partitionEntity(0, os, numa)];
  }

  /** After a run: the mcctrl side of OS instance 0. */
  public Mcctrl mcctrl() {
    return mcctrl(0);
  }

  /** After a run: the mcctrl side of OS instance {@code os}. */
  public Mcctrl mcctrl(int os) {
    return (Mcctrl) entities[mcctrlEntity(0, os)];
  }
}
