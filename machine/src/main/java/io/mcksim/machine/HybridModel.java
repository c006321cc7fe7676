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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One node running McKernel processes after boot: the OS instance's McKernel CPUs, mcctrl, and one
 * proxy per process. Each process is launched by mcexec at time 0 and runs its program on the
 * McKernel CPUs it is given, one thread per CPU; its proxy has the worker pool {@code mcexec -t} would
 * give it. The node is one domain.
 *
 * <p>Entity ids: 0 is mcctrl, then the McKernel CPUs by index, then one proxy per process slot, then
 * one McKernel process per slot, then the process table. Slots beyond the given processes wait for
 * forks.
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
  public record Process(Program program, List<Integer> cpus, int proxyWorkers, long dataBytes) {
    public Process {
      cpus = List.copyOf(cpus);
    }

    /** A process with the default 64 MiB data area. */
    public Process(Program program, List<Integer> cpus, int proxyWorkers) {
      this(program, cpus, proxyWorkers, DEFAULT_DATA_BYTES);
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
  private java.util.function.IntFunction<List<NoiseSource>> linuxNoise = cpu -> List.of();
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
    if (numaBytes.length == 0 || numaBytes[0] <= 0) {
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
    this.topology = IkcTopology.of(physicalCpus, ikcMap);
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
   * The node's Linux CPUs (machine CPU numbers) the proxies' worker threads run on: worker w of every
   * proxy on the (w mod n)-th. Without it, the CPUs that take the instance's IKC interrupts. Call
   * before the model runs.
   */
  public HybridModel withLinuxCpus(int[] cpus) {
    if (cpus.length == 0) {
      throw new IllegalArgumentException("the proxies' workers need at least one Linux CPU");
    }
    this.linuxCpus = cpus.clone();
    this.entities = new SimEntity[entityCount()];
    return this;
  }

  /** The entity of the {@code k}-th Linux CPU of {@link #withLinuxCpus}. */
  public int linuxServiceEntity(int k) {
    return partitionEntity(numaBytes.length - 1) + 1 + k;
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
    return withLinuxNoise(cpu -> NoiseProfile.sources(profile, seed, cpu));
  }

  /** The same with the noise sources of each Linux CPU given (see {@link NoiseProfile#of}). */
  public HybridModel withLinuxNoise(java.util.function.IntFunction<List<NoiseSource>> sourcesOfCpu) {
    this.linuxNoise = sourcesOfCpu;
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
  private List<Integer> partitionsFrom(int preferred) {
    List<Integer> order = new ArrayList<>();
    order.add(partitionEntity(preferred));
    for (int n = 0; n < numaBytes.length; n++) {
      if (n != preferred) {
        order.add(partitionEntity(n));
      }
    }
    return order;
  }

  /** A fresh noise timeline of Linux CPU {@code cpu}: each entity owns its own, all the same. */
  private NoiseTimeline linuxNoiseOf(int cpu) {
    return new NoiseTimeline(linuxNoise.apply(cpu));
  }

  @Override
  public String name() {
    return "mckernel-node";
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public int entityCount() {
    return 1 + mckCpus + 2 * slots + 1 + numaBytes.length + linuxCpus.length;
  }

  @Override
  public int domainCount() {
    return 1;
  }

  @Override
  public int domainOf(int entity) {
    return 0;
  }

  /** Every hop between two entities of the node costs at least this. */
  @Override
  public long lookahead() {
    long resolveThere = faults.resolve() / 2;
    long hops = Math.min(Math.min(ikc.latency(), ikc.credit()),
        Math.min(ikc.ipi() + offload.mcctrlDispatch(), offload.replyWrite()));
    return Math.min(hops, Math.min(Math.min(faults.request(), ikc.ipi() + resolveThere),
        faults.resolve() - resolveThere));
  }

  @Override
  public long localLookahead() {
    return 1;
  }

  public int mcctrlEntity() {
    return 0;
  }

  public int cpuEntity(int index) {
    return 1 + index;
  }

  public int proxyEntity(int process) {
    return 1 + mckCpus + process;
  }

  public int processEntity(int process) {
    return 1 + mckCpus + slots + process;
  }

  public int processTableEntity() {
    return 1 + mckCpus + 2 * slots;
  }

  public int partitionEntity(int numa) {
    return processTableEntity() + 1 + numa;
  }

  @Override
  public SimEntity createEntity(int id) {
    SimEntity e;
    if (id == 0) {
      List<ChannelSpec> up = new ArrayList<>(new LinkedHashSet<>(channelsToLinux()));
      List<IkcSender> down = new ArrayList<>();
      for (int i = 0; i < mckCpus; i++) {
        ChannelSpec spec = topology.toMckernel(i);
        down.add(new IkcSender(spec, spec.capacity(), 0, cpuEntity(i), ikc, List.of(), seed));
      }
      e = new Mcctrl(up, down, ikc, offload, pid -> proxyEntity(pid - FIRST_PID), this::cpuEntity,
          this::linuxNoiseOf);
    } else if (id <= mckCpus) {
      int index = id - 1;
      ChannelSpec spec = topology.toLinux(index);
      IkcSender sender = new IkcSender(spec, IkcSender.share(spec.capacity(), spec.writers().size()), id,
          mcctrlEntity(), ikc, List.of(), seed);
      int[] cpus = new int[mckCpus];
      int[] load = new int[mckCpus];
      for (int i = 0; i < mckCpus; i++) {
        cpus[i] = cpuEntity(i);
        load[i] = threadsOn(i).size();
      }
      e = new McKernelCpu(index, table, syscalls, offload, sender,
          new IkcReceiver(topology.toMckernel(index), ikc), faults, scheduler, launch,
          pid -> processEntity(pid - FIRST_PID), lookahead(), threadsOn(index), cpus, load);
    } else if (id <= mckCpus + slots) {
      int p = id - 1 - mckCpus;
      int asked = p < processes.size() ? processes.get(p).proxyWorkers() : 0;
      int workers = asked > 0 ? asked : mckCpus;
      e = new ProxyProcess(FIRST_PID + p, id, mcctrlEntity(), workers, offload, faults, syscalls, launch,
          p < processes.size() ? processes.get(p).cpus() : List.of(),
          w -> linuxServiceEntity(w % linuxCpus.length));
    } else if (id < processTableEntity()) {
      int p = id - 1 - mckCpus - slots;
      boolean running = p < processes.size();
      List<Integer> cpuEntities = new ArrayList<>();
      if (running) {
        for (int cpu : processes.get(p).cpus()) {
          cpuEntities.add(cpuEntity(cpu));
        }
      }
      e = new McProcess(FIRST_PID + p, running ? processes.get(p).dataBytes() : 0, proxyEntity(p),
          processTableEntity(), lookahead(), cpuEntities,
          partitionsFrom(running && !processes.get(p).cpus().isEmpty()
              ? numaOfCpu[processes.get(p).cpus().get(0)] : 0), anonOnDemand, mckCpus);
    } else if (id > partitionEntity(numaBytes.length - 1)) {
      int k = id - linuxServiceEntity(0);
      e = new io.mcksim.linux.LinuxService(linuxCpus[k], linuxNoiseOf(linuxCpus[k]));
    } else if (id > processTableEntity()) {
      int numa = id - processTableEntity() - 1;
      e = new MemoryPartition(numa, numaBytes[numa], lookahead(),
          numa + 1 < numaBytes.length ? partitionEntity(numa + 1) : -1);
    } else {
      List<Integer> free = new ArrayList<>();
      for (int p = processes.size(); p < slots; p++) {
        free.add(p);
      }
      e = new ProcessTable(free, FIRST_PID, this::processEntity, this::proxyEntity, lookahead());
    }
    entities[id] = e;
    return e;
  }

  private List<ChannelSpec> channelsToLinux() {
    List<ChannelSpec> up = new ArrayList<>();
    for (int i = 0; i < mckCpus; i++) {
      up.add(topology.toLinux(i));
    }
    return up;
  }

  private List<McKernelCpu.McThread> threadsOn(int index) {
    List<McKernelCpu.McThread> threads = new ArrayList<>();
    for (int p = 0; p < processes.size(); p++) {
      List<Integer> cpus = processes.get(p).cpus();
      for (int t = 0; t < cpus.size(); t++) {
        if (cpus.get(t) == index) {
          int pid = FIRST_PID + p;
          threads.add(new McKernelCpu.McThread(pid, t == 0 ? pid : pid * 1000 + t,
              processes.get(p).program()));
        }
      }
    }
    return threads;
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

  public Mcctrl mcctrl() {
    return (Mcctrl) entities[0];
  }
}
