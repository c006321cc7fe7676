package io.mcksim.machine;

import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
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
import io.mcksim.workloads.net.RankMember;
import io.mcksim.workloads.net.RankSync;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Nodes running McKernel processes, each assembled from the real entities: the OS instance's McKernel
 * CPUs, mcctrl, one proxy per process, the processes, the process table, the McKernel memory of each
 * NUMA node, and the Linux CPUs the proxies' workers run on. Each process is launched by mcexec and runs
 * its program on the McKernel CPUs it is given, one thread per CPU; its proxy has the worker pool
 * {@code mcexec -t} would give it. Every node is one domain and runs the same processes; with
 * {@link #withRanks} the processes are the ranks of a BSP application whose collectives cross the
 * interconnect between the nodes' McKernel CPUs.
 *
 * <p>With {@link #withBoot} and the boot simulated, every node also has its IHK side ({@link IhkParts}:
 * the operator, the IHK master, the OS-instance slots, the partition's CPUs as the lightweight kernel
 * brings them up and its memory on each NUMA node) and boots through IHK's verbs in virtual time, in
 * {@code mcreboot.sh}'s order; once the script has seen the instances RUNNING, the operator runs mcexec
 * for each process ({@link ProxyProcess.Exec}). Otherwise the nodes start booted and mcexec runs at
 * time 0; {@link #bootNs()} says what the boot would have taken.
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
   */
  public record Process(Program program, List<Integer> cpus, int proxyWorkers, long dataBytes,
      List<Program> threadPrograms) {
    public Process {
      cpus = List.copyOf(cpus);
      threadPrograms = List.copyOf(threadPrograms);
      if (!threadPrograms.isEmpty() && threadPrograms.size() != cpus.size()) {
        throw new IllegalArgumentException("a process of " + cpus.size() + " threads given "
            + threadPrograms.size() + " programs");
      }
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

  /** The data area a process starts with unless it says otherwise. */
  public static final long DEFAULT_DATA_BYTES = McProcess.DEFAULT_DATA_BYTES;

  /** The first pid given to a proxy; a McKernel process's pid is its proxy's. */
  public static final int FIRST_PID = 1000;

  private final int mckCpus;
  private final List<Process> processes;
  private final SyscallTable table;
  private final IkcCostSettings ikc;
  private final OffloadCosts offload;
  private final SyscallCosts syscalls;
  private final RemoteFaultCosts faults;
  private final McKernelCosts scheduler;
  private final LaunchCosts launch;
  private final long[] numaBytes;
  private final boolean anonOnDemand;
  private final long seed;
  /** The NUMA node of each McKernel CPU. */
  private int[] numaOfCpu;
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
  /** The CPUs the partition boots (physical numbers, ascending), and each one's index among them or -1. */
  private int[] lwkCpus = new int[0];
  private int[] lwkIndexOfCpu = new int[0];
  /** The boot's cost for nodes that start booted, once computed; -1 before. */
  private long bootedCostNs = -1;
  private final NodeLayout ihkLayout = new IhkLayout();
  private Wiring wiring;
  private Wiring.Group operatorGroup;
  private Wiring.Group masterGroup;
  private Wiring.Group instanceGroup;
  private Wiring.Group lwkCpuGroup;
  private Wiring.Group lwkMemoryGroup;
  private Wiring.Group mcctrlGroup;
  private Wiring.Group cpuGroup;
  private Wiring.Group proxyGroup;
  private Wiring.Group processGroup;
  private Wiring.Group tableGroup;
  private Wiring.Group partitionGroup;
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
  /** Arrays the CPUs of a node share: their entities (of the node last asked for), their start load. */
  private int[] sharedCpuEntities;
  private int sharedCpuEntitiesNode = -1;
  private int[] initialLoad;
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
  private final IkcTopology topology;
  private final int slots;
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

  /** As above, with {@code spareSlots} process slots for forks. */
  /**
   * @param numaBytes    the instance's McKernel memory per NUMA node (processes draw from NUMA 0)
   * @param anonOnDemand the {@code anon_on_demand} kernel argument: no premapping at mmap
   */
  public HybridModel(List<Integer> physicalCpus, String ikcMap, List<Process> processes,
      int spareSlots, long[] numaBytes, boolean anonOnDemand, SyscallTable table, IkcCostSettings ikc,
      OffloadCosts offload, SyscallCosts syscalls, RemoteFaultCosts faults, McKernelCosts scheduler,
      LaunchCosts launch, long seed) {
    if (!physicalCpus.isEmpty() && (numaBytes.length == 0 || numaBytes[0] <= 0)) {
      throw new IllegalArgumentException("the instance needs McKernel memory on NUMA node 0");
    }
    this.numaBytes = numaBytes.clone();
    this.anonOnDemand = anonOnDemand;
    this.slots = processes.size() + spareSlots;
    this.scheduler = scheduler;
    this.launch = launch;
    this.mckCpus = physicalCpus.size();
    this.numaOfCpu = new int[mckCpus];
    this.processes = List.copyOf(processes);
    this.table = table;
    this.ikc = ikc;
    this.offload = offload;
    this.syscalls = syscalls;
    this.faults = faults;
    this.seed = seed;
    this.topology = physicalCpus.isEmpty() ? null : IkcTopology.of(physicalCpus, ikcMap);
    for (int p = 0; p < processes.size(); p++) {
      for (int cpu : processes.get(p).cpus()) {
        if (cpu < 0 || cpu >= mckCpus) {
          throw new IllegalArgumentException("process " + p + " runs on McKernel CPU " + cpu
              + ", but the instance has CPUs 0-" + (mckCpus - 1));
        }
      }
    }
    java.util.TreeSet<Integer> readers = new java.util.TreeSet<>();
    for (int i = 0; i < mckCpus; i++) {
      readers.add(topology.toLinux(i).readerCpu());
    }
    this.linuxCpus = readers.stream().mapToInt(Integer::intValue).toArray();
    this.entities = new SimEntity[entityCount()];
  }

  /**
   * A node without McKernel: Linux runs every process natively ({@link #withNatives}). The costs other
   * than {@code syscalls} are those of a McKernel the node does not have: nothing uses them.
   */
  public static HybridModel linux(SyscallTable table, IkcCostSettings ikc, OffloadCosts offload,
      SyscallCosts syscalls, RemoteFaultCosts faults, McKernelCosts scheduler, LaunchCosts launch, long seed) {
    return new HybridModel(List.of(), "", List.of(), 0, new long[0], false, table, ikc, offload, syscalls,
        faults, scheduler, launch, seed);
  }

  /** Whether the node has a McKernel instance. */
  public boolean hasMcKernel() {
    return mckCpus > 0;
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
   * The node's Linux CPUs (machine CPU numbers) the proxies' worker threads run on: worker w of every
   * proxy on the (w mod n)-th. Without it, the CPUs that take the instance's IKC interrupts. Call
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
    NoiseProfile.sources(profile, seed, 0); // rejects an unknown profile now
    return withLinuxNoise((node, cpu) -> NoiseProfile.sources(profile, nodeSeed(node), cpu));
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
   * McKernel's syscall table; a call forwarded to Linux goes to the node's Linux CPU
   * {@code k mod n} for McKernel CPU k. Call before the model runs.
   */
  public HybridModel withRoutes(java.util.function.Function<String, io.mcksim.mckernel.CallRoute> routes) {
    this.routes = routes;
    return this;
  }

  /**
   * Makes the processes the ranks of a BSP application, node by node (rank {@code node x processes +
   * p}): their threads' {@code collective} ops meet at the barrier of their rank, whose first thread's
   * CPU takes the rank's part in the collective over the interconnect. The processes are the McKernel
   * ones, or on a node without them the native ones. Call before the model runs.
   *
   * @param shape     the collective, the ranks and the interconnect; its ranks per node must be the
   *                  number of processes
   * @param barrierNs one crossing of the on-node barrier of a rank's threads
   */
  public HybridModel withRanks(RankSync.Shape shape, long barrierNs) {
    boolean mckernel = !processes.isEmpty();
    List<List<Integer>> cpus = mckernel ? processes.stream().map(Process::cpus).toList()
        : natives.stream().map(NativeProcess::cpus).toList();
    int perNode = cpus.size();
    if (shape.ranksPerNode() != perNode || shape.ranks() != (long) nodes * perNode) {
      throw new IllegalArgumentException("the collective has " + shape.ranks() + " ranks, " + shape.ranksPerNode()
          + " per node, but the machine has " + nodes + " nodes of " + perNode + " processes");
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
        ? (rank, t) -> cpuEntity(rank / perNode, processes.get(rank % perNode).cpus().get(t))
        : (rank, t) -> nativeEntity(rank / perNode, nativeFirst[rank % perNode] + t);
    this.ranks = new RankMember.Ranks(shape, barrierNs, rank -> thread.applyAsInt(rank, 0), thread);
    this.wiring = null;
    return this;
  }

  /**
   * Gives the nodes their IHK side. With {@code simulate} ({@code run.boot = simulate}), every node
   * boots through it in virtual time before its processes launch; without, the nodes start booted and
   * the boot's cost is computed once, by booting one node alone ({@link IhkParts#bootAloneNs()}). Call
   * before the model runs.
   */
  public HybridModel withBoot(IhkParts parts, boolean simulate) {
    this.ihk = parts;
    this.simulateBoot = simulate;
    this.bootedCostNs = -1;
    int[] cpus = parts.partitionCpus();
    this.lwkCpus = cpus;
    this.lwkIndexOfCpu = new int[cpus.length == 0 ? 0 : cpus[cpus.length - 1] + 1];
    java.util.Arrays.fill(lwkIndexOfCpu, -1);
    for (int k = 0; k < cpus.length; k++) {
      lwkIndexOfCpu[cpus[k]] = k;
    }
    this.wiring = null;
    this.entities = new SimEntity[entityCount()];
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
        bootedCostNs = ihk.bootAloneNs() + launchLatency();
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

  /** The seed of node {@code node}'s noise streams: the run's for node 0, a stream of it for the others. */
  public long nodeSeed(int node) {
    return node == 0 ? seed : io.mcksim.actors.engine.RandomStreams.streamSeed(seed, node, "node-noise");
  }

  /**
   * The proxies start when something outside the node model runs mcexec ({@link ProxyProcess.Exec}), not
   * at time 0. Call before the model runs.
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
   * {@code hook} is told every entity this model creates, with its node, before the run uses it (to give
   * an entity whom to tell of its faults). Call before the model runs.
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
   * Says which NUMA node each McKernel CPU belongs to ({@code numaOfCpu[i]} for McKernel CPU i), so a
   * process takes its memory from its first CPU's node first, then from the others in order; without
   * it, every CPU counts as NUMA 0's. Call before the model runs.
   */
  public HybridModel withCpuNuma(int[] numaOfCpu) {
    if (numaOfCpu.length != mckCpus) {
      throw new IllegalArgumentException("NUMA nodes for " + numaOfCpu.length + " CPUs, but the instance has "
          + mckCpus);
    }
    for (int n : numaOfCpu) {
      if (n < 0 || n >= numaBytes.length) {
        throw new IllegalArgumentException("NUMA node " + n + " does not exist; the instance has memory"
            + " partitions 0-" + (numaBytes.length - 1));
      }
    }
    this.numaOfCpu = numaOfCpu.clone();
    return this;
  }

  /** The partitions, {@code preferred} first, then the others by NUMA number. */
  private List<Integer> partitionsFrom(int node, int preferred) {
    List<Integer> order = new ArrayList<>();
    order.add(partitionEntity(node, preferred));
    for (int n = 0; n < numaBytes.length; n++) {
      if (n != preferred) {
        order.add(partitionEntity(node, n));
      }
    }
    return order;
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
      boolean boots = ihk != null && simulateBoot;
      operatorGroup = w.group("operator", boots ? 1 : 0);
      masterGroup = w.group("ihk-master", boots ? 1 : 0);
      instanceGroup = w.group("os-instance", boots ? ihk.maxInstances() : 0);
      lwkCpuGroup = w.group("lwk-cpu", boots ? lwkCpus.length : 0);
      lwkMemoryGroup = w.group("lwk-memory", boots ? ihk.numaNodes() : 0);
      mcctrlGroup = w.group("mcctrl", hasMcKernel() ? 1 : 0);
      cpuGroup = w.group("mckernel-cpu", mckCpus);
      proxyGroup = w.group("proxy", slots);
      processGroup = w.group("process", slots);
      tableGroup = w.group("process-table", hasMcKernel() ? 1 : 0);
      partitionGroup = w.group("memory-partition", numaBytes.length);
      linuxGroup = w.group("linux-cpu", linuxCpus.length);
      // IKC: a packet's trip through a ring (its credit comes back in costs.ikc.credit)
      w.both(cpuGroup, mcctrlGroup, ikc.latency());
      // mcctrl hands a request to a proxy, the proxy writes its answer through mcctrl
      w.both(mcctrlGroup, proxyGroup, ikc.ipi() + offload.mcctrlDispatch());
      // a proxy's worker runs on a Linux CPU of the node
      w.both(proxyGroup, linuxGroup, io.mcksim.linux.LinuxService.HOP);
      // the parts of one McKernel: a CPU, the processes' address spaces, memory, the process table
      w.both(cpuGroup, processGroup, kernelHopNs);
      w.both(cpuGroup, cpuGroup, kernelHopNs);
      w.both(processGroup, partitionGroup, kernelHopNs);
      w.both(partitionGroup, partitionGroup, kernelHopNs);
      w.both(processGroup, tableGroup, kernelHopNs);
      w.both(tableGroup, cpuGroup, kernelHopNs);
      w.both(tableGroup, proxyGroup, kernelHopNs);
      w.both(processGroup, proxyGroup, kernelHopNs);
      if (boots) {
        // IHK's management messages (costs.lifecycle.message): the operator's commands to the master and
        // its replies; the master's orders to an instance and its reports and kernel log; an instance's
        // orders to the CPUs and memory it brings up, and their answers
        long message = ihk.costs().message();
        w.both(operatorGroup, masterGroup, message);
        w.both(masterGroup, instanceGroup, message);
        w.both(instanceGroup, lwkCpuGroup, message);
        w.both(instanceGroup, lwkMemoryGroup, message);
        // the node's job runs mcexec once mcreboot.sh has returned
        w.link(operatorGroup, proxyGroup, launchLatency());
      }
      if (ranks != null) {
        // the interconnect: a collective's message from a rank's first CPU to another node's
        w.between(cpuGroup, cpuGroup, ranks.shape().inter().latencyNs() + ranks.shape().inter().overheadNs());
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

  public int operatorEntity(int node) {
    return wiring().id(node, operatorGroup, 0);
  }

  public int masterEntity(int node) {
    return wiring().id(node, masterGroup, 0);
  }

  public int mcctrlEntity() {
    return mcctrlEntity(0);
  }

  public int mcctrlEntity(int node) {
    return wiring().id(node, mcctrlGroup, 0);
  }

  public int cpuEntity(int index) {
    return cpuEntity(0, index);
  }

  public int cpuEntity(int node, int index) {
    return wiring().id(node, cpuGroup, index);
  }

  public int proxyEntity(int process) {
    return proxyEntity(0, process);
  }

  public int proxyEntity(int node, int process) {
    return wiring().id(node, proxyGroup, process);
  }

  public int processEntity(int process) {
    return processEntity(0, process);
  }

  public int processEntity(int node, int process) {
    return wiring().id(node, processGroup, process);
  }

  public int processTableEntity() {
    return processTableEntity(0);
  }

  public int processTableEntity(int node) {
    return wiring().id(node, tableGroup, 0);
  }

  public int partitionEntity(int numa) {
    return partitionEntity(0, numa);
  }

  public int partitionEntity(int node, int numa) {
    return wiring().id(node, partitionGroup, numa);
  }

  /** The entity of the {@code k}-th Linux CPU of {@link #withLinuxCpus}. */
  public int linuxServiceEntity(int k) {
    return linuxServiceEntity(0, k);
  }

  public int linuxServiceEntity(int node, int k) {
    return wiring().id(node, linuxGroup, k);
  }

  @Override
  public SimEntity createEntity(int id) {
    Wiring w = wiring();
    int node = w.nodeOf(id);
    Wiring.Group g = w.groupOf(id);
    int k = w.indexOf(id);
    SimEntity e = ihkEntity(node, g, k);
    if (e != null) {
      entities[id] = e;
      return e;
    }
    if (g == mcctrlGroup) {
      List<ChannelSpec> up = new ArrayList<>(new LinkedHashSet<>(channelsToLinux()));
      List<IkcSender> down = new ArrayList<>();
      for (int i = 0; i < mckCpus; i++) {
        ChannelSpec spec = topology.toMckernel(i);
        down.add(new IkcSender(spec, spec.capacity(), id, cpuEntity(node, i), ikc, ikcFaults.rules(node, spec),
            seed));
      }
      e = new Mcctrl(up, down, ikc, offload, pid -> proxyEntity(node, pid - FIRST_PID), i -> cpuEntity(node, i),
          cpu -> linuxNoiseOf(node, cpu));
    } else if (g == cpuGroup) {
      ChannelSpec spec = topology.toLinux(k);
      IkcSender sender = new IkcSender(spec, IkcSender.share(spec.capacity(), spec.writers().size()), id,
          mcctrlEntity(node), ikc, ikcFaults.rules(node, spec), seed);
      McKernelCpu cpu = new McKernelCpu(k, table, syscalls, offload, sender,
          new IkcReceiver(topology.toMckernel(k), ikc), faults, scheduler, launch,
          pid -> processEntity(node, pid - FIRST_PID), w.latency(cpuGroup, processGroup), threadsOn(node, k),
          cpuEntitiesOf(node), initialLoad());
      if (routes != null) {
        cpu.withRoutes(routes, linuxServiceEntity(node, k % linuxCpus.length));
      }
      e = ranks == null ? cpu : cpu.withRanks(ranks, seed);
    } else if (g == proxyGroup) {
      int asked = k < processes.size() ? processes.get(k).proxyWorkers() : 0;
      int workers = asked > 0 ? asked : mckCpus;
      ProxyProcess proxy = new ProxyProcess(FIRST_PID + k, id, mcctrlEntity(node), workers, offload, faults,
          syscalls, launch, k < processes.size() ? processes.get(k).cpus() : List.of(),
          wk -> linuxServiceEntity(node, wk % linuxCpus.length));
      e = simulateBoot || execOnDemand ? proxy.awaitExec() : proxy;
    } else if (g == processGroup) {
      boolean running = k < processes.size();
      List<Integer> cpuEntities = new ArrayList<>();
      if (running) {
        for (int cpu : processes.get(k).cpus()) {
          cpuEntities.add(cpuEntity(node, cpu));
        }
      }
      e = new McProcess(FIRST_PID + k, running ? processes.get(k).dataBytes() : 0, proxyEntity(node, k),
          processTableEntity(node), w.latency(processGroup, partitionGroup), cpuEntities,
          partitionsFrom(node, running && !processes.get(k).cpus().isEmpty()
              ? numaOfCpu[processes.get(k).cpus().get(0)] : 0), anonOnDemand, mckCpus);
    } else if (g == linuxGroup) {
      e = new io.mcksim.linux.LinuxService(linuxCpus[k], linuxNoiseOf(node, linuxCpus[k]));
    } else if (g == nativeGroup) {
      e = nativeCpu(node, k, id);
    } else if (g == partitionGroup) {
      e = new MemoryPartition(k, numaBytes[k], w.latency(partitionGroup, partitionGroup),
          k + 1 < numaBytes.length ? partitionEntity(node, k + 1) : -1);
    } else {
      List<Integer> free = new ArrayList<>();
      for (int p = processes.size(); p < slots; p++) {
        free.add(p);
      }
      e = new ProcessTable(free, FIRST_PID, p -> processEntity(node, p), p -> proxyEntity(node, p),
          w.latency(tableGroup, cpuGroup));
    }
    if (onCreate != null) {
      onCreate.accept(e, node);
    }
    entities[id] = e;
    return e;
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
      return ihk.operator(node, ihkLayout, true, ctx -> {
        for (int p = 0; p < processes.size(); p++) {
          if (!processes.get(p).cpus().isEmpty()) {
            ctx.send(proxyEntity(node, p), wiring().latency(operatorGroup, proxyGroup), 0,
                new ProxyProcess.Exec(FIRST_PID + p));
          }
        }
      });
    } else if (g == masterGroup) {
      return ihk.master(node, ihkLayout);
    } else if (g == instanceGroup) {
      return ihk.instance(node, k, ihkLayout);
    } else if (g == lwkCpuGroup) {
      return ihk.cpu(lwkCpus[k]);
    } else if (g == lwkMemoryGroup) {
      return ihk.memory(k);
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

    @Override
    public int cpu(int node, int cpu) {
      int k = cpu >= 0 && cpu < lwkIndexOfCpu.length ? lwkIndexOfCpu[cpu] : -1;
      if (k < 0) {
        throw new IllegalArgumentException("CPU " + cpu + " is in no instance of the partition; a node"
            + " boots only the partition's CPUs");
      }
      return wiring().id(node, lwkCpuGroup, k);
    }

    @Override
    public int numa(int node, int numa) {
      return wiring().id(node, lwkMemoryGroup, numa);
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

  /** The entities of node {@code node}'s McKernel CPUs, shared by them (read only). */
  private int[] cpuEntitiesOf(int node) {
    if (sharedCpuEntities == null || sharedCpuEntitiesNode != node) {
      sharedCpuEntities = new int[mckCpus];
      for (int i = 0; i < mckCpus; i++) {
        sharedCpuEntities[i] = cpuEntity(node, i);
      }
      sharedCpuEntitiesNode = node;
    }
    return sharedCpuEntities;
  }

  /** The threads each McKernel CPU starts with, the same on every node, shared (read only). */
  private int[] initialLoad() {
    if (initialLoad == null) {
      initialLoad = new int[mckCpus];
      for (Process p : processes) {
        for (int cpu : p.cpus()) {
          initialLoad[cpu]++;
        }
      }
    }
    return initialLoad;
  }

  private List<ChannelSpec> channelsToLinux() {
    List<ChannelSpec> up = new ArrayList<>();
    for (int i = 0; i < mckCpus; i++) {
      up.add(topology.toLinux(i));
    }
    return up;
  }

  private List<McKernelCpu.McThread> threadsOn(int node, int index) {
    List<McKernelCpu.McThread> threads = new ArrayList<>();
    for (int p = 0; p < processes.size(); p++) {
      List<Integer> cpus = processes.get(p).cpus();
      for (int t = 0; t < cpus.size(); t++) {
        if (cpus.get(t) == index) {
          int pid = FIRST_PID + p;
          McKernelCpu.McThread thread = new McKernelCpu.McThread(pid, t == 0 ? pid : pid * 1000 + t,
              processes.get(p).programOf(t));
          if (ranks != null) {
            int rank = node * processes.size() + p;
            thread.inRank(rank, t);
          }
          threads.add(thread);
        }
      }
    }
    return threads;
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

  /** After a run: McKernel CPU {@code index}. */
  public McKernelCpu cpu(int index) {
    return (McKernelCpu) entities[cpuEntity(index)];
  }

  /** After a run: the proxy of process {@code p}. */
  public ProxyProcess proxy(int p) {
    return (ProxyProcess) entities[proxyEntity(p)];
  }

  /** After a run: McKernel process {@code p}. */
  public McProcess process(int p) {
    return (McProcess) entities[processEntity(p)];
  }

  /** After a run: the McKernel memory of NUMA node {@code numa}. */
  public MemoryPartition partition(int numa) {
    return (MemoryPartition) entities[partitionEntity(numa)];
  }

  /** After a run: entity {@code id}, if this JVM created it (else null). */
  public SimEntity entity(int id) {
    return entities[id];
  }

  public Mcctrl mcctrl() {
    return (Mcctrl) entities[mcctrlEntity(0)];
  }
}
