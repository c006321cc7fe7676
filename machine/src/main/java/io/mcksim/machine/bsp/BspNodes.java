package io.mcksim.machine.bsp;

import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.config.LaunchCosts;
import io.mcksim.config.Scenario;
import io.mcksim.linux.LinuxCpu;
import io.mcksim.linux.LinuxService;
import io.mcksim.linux.noise.NoiseProfile;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.LinuxNodes;
import io.mcksim.machine.McKernelNodes;
import io.mcksim.mckernel.CallRoute;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.McProcess;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Access;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.net.RankSync;
import java.util.ArrayList;
import java.util.List;

/**
 * A BSP application on the full McKernel node model (its times count from the moment its last thread
 * starts, once mcexec has launched it on every node): every rank is a McKernel process launched on every
 * node (with several OS instances, the node's ranks are dealt to them in turn, each with its own
 * proxies, channels and memory), every thread of it a thread on a real McKernel CPU, running, each iteration, its quantum, its
 * calls (local ones in McKernel, the rest offloaded through IKC, mcctrl, the process's proxy and the
 * node's Linux CPUs, where they queue), and the collective that ends the superstep over the
 * interconnect. Built by the same {@link McKernelNodes} as every McKernel node.
 *
 * <p>Under {@code linux}, {@code argo} and {@code l4linux} the node has no McKernel: every rank is a
 * Linux process on every node, every thread of it native on a real {@link LinuxCpu} (the instance's
 * CPUs, as Linux CPUs) with the design's noise: {@code os.linux-noise} under Linux, Argo's and L4's own
 * under theirs. Linux and Argo make their calls in place; under L4Linux every call is an IPC to the
 * Linux server, whose CPUs (the node's other CPUs, with {@code os.linux-noise}) serve the calls first
 * come first served, and an IPC back. Built by the same {@link LinuxNodes} as every Linux node.
 */
public final class BspNodes implements BspApplication {

  private final BspPlan plan;
  private final HybridModel nodes;
  private final long expectedStart;
  private final List<BspOutcome> parts = new ArrayList<>();

  private BspNodes(BspPlan plan, HybridModel nodes, long expectedStart) {
    this.plan = plan;
    this.nodes = nodes;
    this.expectedStart = expectedStart;
  }

  /** The OS designs whose application threads run on the lightweight kernel's CPUs of the node. */
  public static final List<String> LWK_DESIGNS = List.of("mckernel", "mos", "hobbes");

  /**
   * The machine of {@code s}, under every design: for {@link #LWK_DESIGNS} McKernel nodes (under mOS
   * and Hobbes its lightweight kernel's CPUs route each call as the design does); for {@link #NATIVE}
   * nodes whose ranks run natively on Linux CPUs.
   */
  public static BspNodes of(Scenario s) {
    return of(s, null);
  }

  /**
   * The same machine, its threads making {@code calls} (when not null) instead of the scenario's, each
   * routed as the call says (a device mapping's mmap, say, goes to the Linux driver under every design
   * that has one, and fails with ENOSYS under one that has none).
   */
  public static BspNodes of(Scenario s, List<BspPlan.Call> calls) {
    BspPlan plan = BspSetup.plan(s, calls);
    if (!LWK_DESIGNS.contains(plan.os()) && !NATIVE.contains(plan.os())) {
      throw new IllegalArgumentException("the full node model runs BSP under " + LWK_DESIGNS + " and " + NATIVE
          + "; os.model is " + plan.os());
    }
    if (plan.iterations() > RankSync.MAX_ITERATIONS) {
      throw new IllegalArgumentException("workload.bsp.iterations = " + plan.iterations() + " is more than "
          + RankSync.MAX_ITERATIONS);
    }
    if (NATIVE.contains(plan.os())) {
      // a Linux CPU keeps its own pages: thread 0's program touches the same slice on each of them
      return new BspNodes(plan, natively(s, plan, program(plan, s.workload().bsp().memoryBytes(), 0)), 0);
    }
    List<HybridModel.Process> ranks = ranks(s, plan);
    SyscallTable table = SyscallTable.named(s.workload().syscalls().table());
    NoiseProfile.Factory linux = NoiseProfile.factory(s.noise(), s.os().linuxNoise());
    // a BSP application neither forks nor spawns: no process slots wait for forks
    HybridModel model = McKernelNodes.of(s, ranks, 0, table).withNodes(plan.nodes());
    if (calls != null || !plan.os().equals("mckernel")) {
      model.withRoutes(name -> route(plan.calls().stream().filter(c -> c.name().equals(name)).findFirst()
          .orElseGet(() -> BspSetup.call(s, plan.os(), table, name))));
    }
    model.withLinuxNoise((node, cpu) -> linux.sources(model.seed(), node, cpu))
        .withRanks(plan.shape(), plan.threadBarrierNs());
    // each rank starts once mcexec has launched it: mcexec's start, McKernel's preparing the process, and
    // the threads' scheduling
    LaunchCosts launch = s.launch();
    return new BspNodes(plan, model, launch.mcexec() + launch.prepare() + launch.schedule());
  }

  @Override
  public long expectedStartNs() {
    return expectedStart;
  }

  /**
   * A node's ranks as McKernel processes, as the plan places them: rank r on its instance, its threads on
   * that instance's CPUs in order, each running its program ({@link #program}).
   */
  public static List<HybridModel.Process> ranks(Scenario s, BspPlan plan) {
    long memory = s.workload().bsp().memoryBytes();
    List<Program> programs = new ArrayList<>();
    for (int t = 0; t < plan.threadsPerRank(); t++) {
      programs.add(program(plan, memory, t));
    }
    long dataBytes = Math.max(HybridModel.DEFAULT_DATA_BYTES, plan.threadsPerRank() * pages(memory));
    List<HybridModel.Process> ranks = new ArrayList<>();
    int instances = s.partition().instances().size();
    for (int r = 0; r < plan.ranksPerNode(); r++) {
      // the rank's instance, and its CPUs there in order, as the plan places them
      int first = BspSetup.firstCpuOf(r, instances, plan.threadsPerRank());
      List<Integer> cpus = new ArrayList<>();
      for (int t = 0; t < plan.threadsPerRank(); t++) {
        cpus.add(first + t);
      }
      ranks.add(new HybridModel.Process(programs.get(0), cpus, 0, dataBytes, programs,
          BspSetup.instanceOf(r, instances)));
    }
    return ranks;
  }

  /** The OS designs whose ranks run natively on Linux CPUs. */
  static final List<String> NATIVE = List.of("linux", "argo", "l4linux");

  /**
   * The nodes of a design without McKernel: every rank a Linux process whose threads run natively on
   * the instance's CPUs, as the plan places them, with the design's noise; under L4Linux their calls go
   * to the Linux server on the node's other CPUs.
   */
  private static HybridModel natively(Scenario s, BspPlan plan, Program program) {
    List<HybridModel.NativeProcess> ranks = new ArrayList<>();
    for (int r = 0; r < plan.ranksPerNode(); r++) {
      List<Integer> cpus = new ArrayList<>();
      for (int t = 0; t < plan.threadsPerRank(); t++) {
        cpus.add(plan.appCpus()[r * plan.threadsPerRank() + t]);
      }
      ranks.add(new HybridModel.NativeProcess(program, cpus));
    }
    HybridModel model = LinuxNodes.of(s, ranks).withNodes(plan.nodes());
    NoiseProfile.Factory app = NoiseProfile.factory(s.noise(), BspSetup.appNoise(s, plan.os()));
    model.withNativeNoise((node, cpu) -> app.sources(model.seed(), node, cpu));
    if (plan.os().equals("l4linux")) {
      NoiseProfile.Factory linux = NoiseProfile.factory(s.noise(), s.os().linuxNoise());
      model.withLinuxCpus(plan.linuxCpus()).withLinuxServer(s.os().models().l4linux().ipcNs())
          .withLinuxNoise((node, cpu) -> linux.sources(model.seed(), node, cpu));
    }
    return model.withRanks(plan.shape(), plan.threadBarrierNs());
  }

  /** The route of a call as the plan's OS design takes it. */
  static CallRoute route(BspPlan.Call c) {
    return switch (c.where()) {
      case "local" -> new CallRoute.Local();
      case "offloaded" -> new CallRoute.Offloaded();
      case "migrated", "remote" -> new CallRoute.Forwarded(c.where(), c.cpuNs() + c.tripNs(), c.linuxNs(),
          c.resumeNs());
      case "enosys" -> new CallRoute.Failed(c.cpuNs());
      default -> throw new IllegalArgumentException("a lightweight kernel's CPU does not run " + c.where()
          + " calls (" + c.name() + ")");
    };
  }

  /** {@code bytes} rounded up to whole 4 KiB pages. */
  static long pages(long bytes) {
    return (bytes + 4095) & -4096L;
  }

  /**
   * Thread {@code t}'s program: each iteration a touch of its own {@code memory} bytes of the process's
   * data area (if any), its quantum, its calls, the collective.
   */
  static Program program(BspPlan plan, long memory, int t) {
    List<Op> body = new ArrayList<>();
    if (memory > 0) {
      body.add(new Op.Touch(McProcess.DATA_START + t * pages(memory), memory, Access.WRITE));
    }
    BspPlan.Quantum q = plan.quantum();
    body.add(new Op.Quantum(q.kind(), q.a(), q.b()));
    for (BspPlan.Call c : plan.calls()) {
      body.add(new Op.Syscall(c.name()));
    }
    body.add(new Op.Collective());
    return new Program("bsp-thread-" + t, List.of(new Op.Repeat(plan.iterations(), body)));
  }

  @Override
  public int entityCount() {
    return nodes.entityCount();
  }

  @Override
  public int domainCount() {
    return nodes.domainCount();
  }

  @Override
  public int domainOf(int entity) {
    return nodes.domainOf(entity);
  }

  @Override
  public long lookahead() {
    return nodes.lookahead();
  }

  @Override
  public long localLookahead() {
    return nodes.localLookahead();
  }

  @Override
  public StreamTransport streamTransport() {
    return nodes.streamTransport();
  }

  @Override
  public SimEntity createEntity(int id) {
    return nodes.createEntity(id);
  }

  @Override
  public BspPlan plan() {
    return plan;
  }

  /** The machine to run. */
  public HybridModel model() {
    return nodes;
  }

  /**
   * The outcome, read from the entities this JVM created once the run is over, plus the parts worker
   * JVMs sent for theirs.
   */
  @Override
  public BspOutcome outcome() {
    BspOutcome o = localOutcome();
    for (BspOutcome part : parts) {
      o = o.plus(part);
    }
    return o;
  }

  @Override
  public SimMessage localPart() {
    return localOutcome();
  }

  @Override
  public void addPart(SimMessage part) {
    parts.add((BspOutcome) part);
  }

  private BspOutcome localOutcome() {
    long[] ends = new long[plan.iterations()];
    long start = -1;
    long offloads = 0;
    long stolen = 0;
    long busy = 0;
    long unfinished = 0;
    long failed = 0;
    long threads = 0;
    for (SimEntity e : nodes.createdEntities()) {
      if (e instanceof McKernelCpu cpu) {
        latest(ends, cpu.rankReleases());
        offloads += cpu.offloadedCalls();
        failed += cpu.failedCalls();
        for (McKernelCpu.McThread t : cpu.threads()) {
          threads++;
          start = Math.max(start, t.startTime());
          unfinished += t.exitTime() < 0 ? 1 : 0;
        }
      } else if (e instanceof LinuxCpu cpu) {
        latest(ends, cpu.rankReleases());
        offloads += cpu.serverCalls();
        stolen += cpu.stolenNs();
        threads++;
        start = Math.max(start, cpu.startTime());
        unfinished += cpu.exitTime() < 0 ? 1 : 0;
      } else if (e instanceof LinuxService service) {
        busy += service.busyNs();
      }
    }
    // the application's time counts from its last thread's start, as MPI_Init would align them: each
    // node's mcexec launch takes its own time (the noise of its Linux CPUs)
    return new BspOutcome(ends, stolen, offloads, busy, unfinished,
        threads * plan.iterations() * plan.calls().size(), failed, Math.max(0, start));
  }

  /** Each iteration's end: the later of what it is and the release of a rank from it. */
  private static void latest(long[] ends, long[] released) {
    for (int i = 0; i < Math.min(released.length, ends.length); i++) {
      ends[i] = Math.max(ends[i], released[i]);
    }
  }
}
