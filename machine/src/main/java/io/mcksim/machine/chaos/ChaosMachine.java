package io.mcksim.machine.chaos;

import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.config.ChaosSettings;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import io.mcksim.ikc.ChannelSpec;
import io.mcksim.ikc.ChannelStats;
import io.mcksim.ikc.FaultRule;
import io.mcksim.ikc.IkcReceiver;
import io.mcksim.ikc.IkcSender;
import io.mcksim.linux.LinuxService;
import io.mcksim.linux.Mcctrl;
import io.mcksim.linux.ProxyProcess;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.McKernelNodes;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.McProcess;
import io.mcksim.mckernel.MemoryPartition;
import io.mcksim.mckernel.SyscallTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A chaos run on the node model: every node is the node model's booting node ({@link HybridModel} with
 * the boot simulated: its operator boots McKernel with {@code mcreboot.sh} through IHK's master, and the
 * node has its supervision tree, {@link HybridModel#supervision}) and runs one job ({@link ChaosJob}: the
 * synthetic checkpointing process, or the scenario's own programs) as real McKernel processes on the real
 * McKernel CPUs, memory, mcctrl, proxies and Linux CPUs, beside Linux-side
 * work, a process Linux runs natively; faults strike through the entities' own fault entry points (a
 * CPU's panic, the engine's crash, escalated to IHK's master; a hang, which ihkmond reports; a halt,
 * mcexec's SIGKILL, a Linux service's crash, a partition's exhaustion, fault rules on the IKC rings); IHK
 * (its master's reboot policy restarts a failed instance in place) and the job ({@link NodeAgent}: the
 * job manager, ihkmond's monitor, the administrator's clean-up) recover through the real paths; and
 * invariant checkers watch.
 *
 * <p>A node has one OS instance, which every boot and restart reuses (same entities, a new incarnation
 * after a restart), with {@link #slots} process slots for the job's launches ({@link #SLOTS} per boot
 * the reboot policy allows, at most {@link #MAX_SLOTS}). A node's entities and its agent are one domain.
 * Nodes never talk to each other.
 *
 * <p>Nothing is shared between entities while the run goes: the armed fault sites and the scheduled
 * faults are decided when the machine is made and never change; every entity draws from its own
 * stream; the checkers read the entities once the run is over (and the agent checks IHK's state as it
 * goes). So a chaos run runs on every engine with the same digest.
 */
public final class ChaosMachine implements SimModel {

  /** A bug planted on purpose, to show the checkers catch it. Tests switch it on; nothing else does. */
  public enum PlantedBug {
    /**
     * In mcexec ({@code ProxyProcess}): ended by its watch when its process died with the kernel, it never
     * exits, so the job manager never reaps it.
     */
    PROXY_NOT_REAPED,
    /**
     * The administrator's clean-up after a failed boot, or after an instance the reboot policy gave up
     * on, is not run: the instance is not destroyed nor its resources released.
     */
    RESOURCES_NOT_RELEASED,
    /**
     * In McKernel's process ({@code McProcess}): a process a signal ends keeps its memory, which never
     * goes back to the instance's partitions.
     */
    MEMORY_KEPT_BY_KILLED_PROCESS,
    /**
     * In mcctrl ({@code Mcctrl}): its interrupt handler reads McKernel's answer to a dead proxy's clean-up
     * (CLEANUP_PROCESS_RESP) but never frees the packet's slot in the ring: the McKernel CPU's credit leaks.
     */
    CLEANUP_SLOT_KEPT,
    /**
     * In IHK's master ({@code IhkMaster}): the reboot policy restarts a failed instance without shutting it
     * down first, a status step IHK's driver cannot take; IHK refuses it, and the instance is never
     * rebooted.
     */
    RESTART_WITHOUT_SHUTDOWN,
    /**
     * In the job manager ({@code NodeAgent}): it throws when it reaps an mcexec that was killed (exit status
     * 137), a bug in the model rather than a modelled crash; the run stops there, its row says so, and the
     * campaign goes on.
     */
    MODEL_EXCEPTION
  }

  /** Process slots per boot the reboot policy allows: the job's launches, at most. */
  public static final int SLOTS = 8;
  /** Process slots of a node at most, whatever the reboot policy. */
  public static final int MAX_SLOTS = 64;

  /**
   * One node at the end of a run.
   *
   * @param exits       every process launched, in order, with its exit status (null: none)
   * @param lastFrom    the iteration the last process started from (0, or its job's checkpoint)
   * @param lastFailure how the LWK last failed ("" if never): PANIC or HUNGUP with its cause, or boot failure
   * @param instance    the instance's status ("none" when none exists)
   * @param resources   where the resources are wrong, or null
   */
  public record NodeReport(int node, String job, List<Integer> exits, long reboots, long relaunches,
      String lastFailure, int lastFrom, String instance, String resources) {}

  final Scenario scenario;
  final ChaosSettings chaos;
  final int nodes;
  final int threads;
  /** Process slots for the job's launches ({@link #perLaunch} each), and with the spare ones for forks. */
  final int slots;
  final int instanceSlots;
  /** Processes of one launch of the job. */
  final int perLaunch;
  final long messageNs;
  final PartitionSettings.Instance partition;
  final ChaosJob job;
  private final long seed;
  private final Map<String, Boolean> armed = new TreeMap<>();
  private final List<List<Strike>> strikes = new ArrayList<>();
  private final HybridModel hybrid;
  private final NodeAgent[] agents;
  /** The batch system's controller of a machine-wide job, once created (else null). */
  private JobController controller;
  /**
   * Per node, IKC books of the McKernel CPUs' past incarnations (what their rings received, what their
   * writers sent) and the packets that reached a dead one: each written only in its node's domain.
   */
  private final long[] retiredArrivals;
  private final ChannelStats[] retiredSent;
  private final long[] deadLetters;
  PlantedBug bug;

  /** A scheduled fault, striking at {@code atNs} (cpu: a McKernel CPU index, or -1 for all). */
  record Strike(String kind, int cpu, long durationNs, long atNs) implements io.mcksim.actors.engine.Fingerprinted {
    @Override
    public long fingerprint() {
      return kind.hashCode() * 31L + cpu * 7L + durationNs * 3 + atNs;
    }
  }

  /** The scenario's chaos run with its own seed. */
  public ChaosMachine(Scenario s) {
    this(s, s.run().seed());
  }

  /** The scenario's chaos run with seed {@code seed} (a campaign's seeds share one loaded scenario). */
  public ChaosMachine(Scenario s, long seed) {
    this.scenario = s;
    this.chaos = s.chaos();
    this.seed = seed;
    RandomStreams streams = new RandomStreams(seed);
    this.nodes = s.machine().nodes();
    if (s.partition().instances().isEmpty()) {
      throw new IllegalArgumentException("chaos: partition.instances is empty; the job needs a McKernel "
          + "instance on each node");
    }
    this.partition = s.partition().instances().get(0);
    this.job = ChaosJob.of(s, partition.cpus().size());
    this.threads = job.cpus();
    this.perLaunch = job.launch().size();
    int boots = 1 + (chaos.reboot().policy().equals("on-failure") ? chaos.reboot().max() : 0);
    this.slots = (int) Math.min(Math.max(1, MAX_SLOTS / perLaunch), (long) SLOTS * boots) * perLaunch;
    this.instanceSlots = slots + job.spareSlots();
    this.messageNs = s.lifecycle().message();
    for (String kind : ChaosSettings.KINDS) {
      ChaosSettings.Site site = chaos.sites().get(kind);
      armed.put(kind, site.enable() > 0 && streams.stream(-1, "arm-" + kind).nextDouble() < site.enable()
          && site.fire() > 0);
    }
    for (int n = 0; n < nodes; n++) {
      strikes.add(new ArrayList<>());
    }
    int i = 0;
    for (ChaosSettings.Fault f : chaos.faults()) {
      SplittableRandom draw = streams.stream(-2, "target-" + i++);
      int node = f.target().node() == ChaosSettings.Target.DRAWN ? draw.nextInt(nodes) : f.target().node();
      int cpu = f.target().cpu() == ChaosSettings.Target.DRAWN ? draw.nextInt(threads) : f.target().cpu();
      if (node >= nodes) {
        throw new IllegalArgumentException("chaos.faults[" + (i - 1) + "].target: node " + node
            + " does not exist; the machine has nodes 0-" + (nodes - 1));
      }
      if (cpu >= threads) {
        throw new IllegalArgumentException("chaos.faults[" + (i - 1) + "].target: McKernel CPU " + cpu
            + " runs no thread of the job; the job runs on CPUs 0-" + (threads - 1) + " of the instance");
      }
      if (f.target().os() > 0) {
        throw new IllegalArgumentException("chaos.faults[" + (i - 1) + "].target: os " + f.target().os()
            + " does not exist; each node boots one McKernel instance, os 0");
      }
      for (int n = 0; n < nodes; n++) {
        if (node == ChaosSettings.Target.ALL || node == n) {
          strikes.get(n).add(new Strike(f.kind(), cpu, f.durationNs(), f.atNs()));
        }
      }
    }
    this.hybrid = nodeModel(s, seed);
    this.agents = new NodeAgent[nodes];
    this.retiredArrivals = new long[nodes];
    this.retiredSent = new ChannelStats[nodes];
    java.util.Arrays.fill(retiredSent, NO_PACKETS);
    this.deadLetters = new long[nodes];
  }

  private static final ChannelStats NO_PACKETS = new ChannelStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /**
   * The node model: per node, its IHK side (booting through IHK's verbs, with its supervision tree), the
   * instance with its process slots, and the Linux side.
   */
  private HybridModel nodeModel(Scenario s, long seed) {
    List<HybridModel.Process> processes = new ArrayList<>();
    for (int k = 0; k < slots / perLaunch; k++) {
      processes.addAll(job.launch());
    }
    boolean anonOnDemand = List.of(s.os().kargs().split("\\s+")).contains("anon_on_demand");
    int[] linuxCpus = s.machine().allCpus().minus(partition.cpus()).toArray();
    HybridModel m = new HybridModel(List.of(McKernelNodes.instance(s, partition)), processes, job.spareSlots(),
        anonOnDemand,
        SyscallTable.named(s.workload().syscalls().table()), s.ikc(), s.offload(), s.syscalls(), s.remoteFault(), s.mckernel(),
        s.launch(), seed).withLinuxCpus(linuxCpus).withExecOnDemand()
        .withIkcFaults(this::ikcRules)
        .onCreate(this::wire);
    // Linux-side work on the Linux CPU the proxy's first worker shares
    m.withNatives(List.of(new HybridModel.NativeProcess(ChaosJob.linuxWork(chaos), List.of(linuxCpus[0]))));
    m.withBoot(new io.mcksim.ihk.IhkParts(s), true).withNodes(nodes);
    if (job instanceof BspJob bsp) {
      // every launch's ranks, their collectives over the interconnect (a launch's ranks start over)
      m.withRanks(bsp.plan().shape(), bsp.plan().threadBarrierNs());
    }
    return m;
  }

  /**
   * Gives the real entities whom to tell: IHK's master the status events ihkmond follows, the proxies
   * their parent (the job manager); plants a bug a test asked for.
   */
  private void wire(SimEntity e, int node) {
    int agent = agentEntity(node);
    if (e instanceof io.mcksim.ihk.IhkMaster master) {
      master.withStatusEvents(agent).withErrorsAsOutcomes();
      if (bug == PlantedBug.RESTART_WITHOUT_SHUTDOWN) {
        master.plantRestartWithoutShutdown();
      }
    } else if (e instanceof ProxyProcess proxy) {
      proxy.withParent(agent, messageNs);
      if (bug == PlantedBug.PROXY_NOT_REAPED) {
        proxy.plantSilentWhenItsProcessDies();
      }
    } else if (e instanceof McProcess process && bug == PlantedBug.MEMORY_KEPT_BY_KILLED_PROCESS) {
      process.plantKeepsMemoryWhenKilled();
    } else if (e instanceof Mcctrl mcctrl && bug == PlantedBug.CLEANUP_SLOT_KEPT) {
      mcctrl.plantKeepsCleanupSlot();
    }
  }

  /**
   * The fault rules every IKC channel but the master channel starts with: the armed IKC sites, on every
   * other channel, both ways (each packet, with the site's probability, from the writer's stream).
   * Scheduled IKC faults are armed on the live channel when they strike ({@link NodeAgent}).
   */
  private List<FaultRule> ikcRules(int node, ChannelSpec spec) {
    List<FaultRule> rules = new ArrayList<>();
    if (spec.kind() == ChannelSpec.Kind.MASTER) {
      // the master channel carries only the boot's connects, for which McKernel's ihk_ikc_connect waits
      // without a timeout: a lost one would hang the boot, which is not what the IKC sites test
      return rules;
    }
    for (String kind : List.of("ikc-drop", "ikc-delay", "ikc-duplicate", "ikc-clog")) {
      if (!armed(kind)) {
        continue;
      }
      ChaosSettings.Site site = chaos.sites().get(kind);
      rules.add(switch (kind) {
        case "ikc-drop" -> FaultRule.withProbability(FaultRule.Fault.DROP, -1, null, site.fire(), 0);
        case "ikc-delay" -> FaultRule.withProbability(FaultRule.Fault.DELAY, -1, null, site.fire(), site.durationNs());
        case "ikc-duplicate" -> FaultRule.withProbability(FaultRule.Fault.DUPLICATE, -1, null, site.fire(), 0);
        default -> new FaultRule(FaultRule.Fault.CLOG, -1, null, site.fire(), 0, Math.max(1, site.durationNs()), 0);
      });
    }
    return rules;
  }

  /** The job in a few words ("job of 4 threads x 100 iterations", "programs inspector, solver"). */
  public String jobDescription() {
    return job.describe();
  }

  /** Switches a planted bug on (tests only). */
  public ChaosMachine withPlantedBug(PlantedBug b) {
    this.bug = b;
    return this;
  }

  @Override
  public String name() {
    return "chaos";
  }

  @Override
  public long seed() {
    return seed;
  }

  /** The node model's entities, each node's agent, and for a machine-wide job the batch system's controller. */
  @Override
  public int entityCount() {
    return hybrid.entityCount() + nodes + (job.machineWide() ? 1 : 0);
  }

  @Override
  public int domainCount() {
    return nodes;
  }

  @Override
  public int domainOf(int entity) {
    if (entity == controllerEntity()) {
      return 0;
    }
    return entity >= hybrid.entityCount() ? entity - hybrid.entityCount() : hybrid.domainOf(entity);
  }

  /** The node model's supervision tree: IHK's master, its OS instance, the instance's kernel parts. */
  @Override
  public io.mcksim.actors.engine.Supervision supervision(int id) {
    return id < hybrid.entityCount() ? hybrid.supervision(id) : null;
  }

  /** An IKC packet that reached a dead McKernel CPU (its kernel failed, and is not up again yet). */
  @Override
  public void deadLetter(int target, int source, Object payload) {
    if (payload instanceof io.mcksim.ikc.IkcPacket && target < hybrid.entityCount()) {
      deadLetters[hybrid.domainOf(target)]++;
    }
  }

  /**
   * Nodes never talk to each other, unless the job spans them: then its ranks' collectives cross the
   * interconnect, and the batch system's messages reach every node's job manager.
   */
  @Override
  public long lookahead() {
    return job.machineWide() ? Math.min(hybrid.lookahead(), messageNs) : 1_000_000_000L;
  }

  @Override
  public long localLookahead() {
    return Math.min(1, hybrid.localLookahead());
  }

  /** Every boot's IKC channels travel through the node model's transport (actor engine). */
  @Override
  public StreamTransport streamTransport() {
    return hybrid.streamTransport();
  }

  @Override
  public SimEntity createEntity(int id) {
    if (id < hybrid.entityCount()) {
      if (hybrid.entity(id) instanceof McKernelCpu old) {
        // a restart: the past incarnation's IKC books are kept for the checker (in its node's domain)
        int n = hybrid.domainOf(id);
        retiredArrivals[n] += old.ikcArrivals();
        retiredSent[n] = IkcReceiver.combine(retiredSent[n], old.ikcSent());
      }
      return hybrid.createEntity(id);
    }
    if (id == controllerEntity()) {
      controller = new JobController(this);
      return controller;
    }
    int node = id - hybrid.entityCount();
    NodeAgent a = new NodeAgent(this, node, new RandomStreams(seed).stream(id, "chaos"), strikes.get(node));
    agents[node] = a;
    return a;
  }

  int agentEntity(int node) {
    return hybrid.entityCount() + node;
  }

  /** The batch system's controller of a machine-wide job (-1 when the job is each node's own). */
  int controllerEntity() {
    return job.machineWide() ? hybrid.entityCount() + nodes : -1;
  }

  HybridModel hybrid() {
    return hybrid;
  }

  int partitionEntity(int node, int numa) {
    return hybrid.partitionEntity(node, numa);
  }

  /** The Linux CPUs of node {@code node} that the proxy's workers run on, each a {@link LinuxService}. */
  int[] linuxServiceEntities(int node) {
    int[] ids = new int[hybrid.linuxServiceCount()];
    for (int k = 0; k < ids.length; k++) {
      ids[k] = hybrid.linuxServiceEntity(node, k);
    }
    return ids;
  }

  /**
   * Whether IHK's reboot policy ({@code chaos.reboot}, the master's strategy) restarts the instance after
   * its {@code crashes}-th failure.
   */
  boolean rebootAllowed(int crashes) {
    return chaos.reboot().policy().equals("on-failure") && crashes <= chaos.reboot().max();
  }

  /** A scheduled IKC fault as the rule its channel's writer applies from the time it strikes. */
  static FaultRule ikcRule(Strike s) {
    return switch (s.kind()) {
      case "ikc-drop" -> FaultRule.at(FaultRule.Fault.DROP, -1, null, s.atNs(), 0);
      case "ikc-delay" -> FaultRule.at(FaultRule.Fault.DELAY, -1, null, s.atNs(), s.durationNs());
      case "ikc-duplicate" -> FaultRule.at(FaultRule.Fault.DUPLICATE, -1, null, s.atNs(), 0);
      default -> FaultRule.clog(-1, s.atNs(), Math.max(1, s.durationNs()));
    };
  }

  boolean armed(String kind) {
    return armed.get(kind);
  }

  /** An entity as a person reads it: "node 2 mckernel-cpu 1". */
  String nameOf(int id) {
    if (id < 0) {
      return "outside";
    }
    if (id == controllerEntity()) {
      return "the batch system";
    }
    if (id >= hybrid.entityCount()) {
      return "node " + (id - hybrid.entityCount()) + " job manager";
    }
    io.mcksim.machine.Wiring w = hybrid.wiring();
    return "node " + hybrid.domainOf(id) + " " + w.groupOf(id).name() + " " + w.indexOf(id);
  }

  /** An invariant of the whole run failed at {@code now}. */
  InvariantViolation violation(String invariant, long now, String message) {
    return new InvariantViolation(invariant, now, message);
  }

  /** An invariant failed at {@code now}: the violation, with the last events of the node's agent. */
  InvariantViolation violation(String invariant, long now, String message, int node) {
    StringBuilder sb = new StringBuilder(message).append('\n');
    if (agents[node] != null) {
      sb.append(agents[node].trail().render(nameOf(agentEntity(node)), this::nameOf));
    }
    return new InvariantViolation(invariant, now, sb.toString().stripTrailing());
  }

  // ---------------------------------------------------------------- after the run

  /** Every node as the run left it. */
  public List<NodeReport> nodeReports() {
    List<NodeReport> out = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      out.add(agents[n].report());
    }
    return out;
  }

  /**
   * The invariants checked once the run is over (the queue ran dry, or the end time came): exit
   * statuses, resources, IKC accounting, Linux-side work, no thread stuck. Throws the first violation.
   */
  public void checkEnd(long endNs) {
    InvariantViolation first = null;
    for (NodeAgent a : agents) {
      InvariantViolation v = a.violation();
      if (v != null && (first == null || v.timeNs() < first.timeNs())) {
        first = v;
      }
    }
    if (first != null) {
      throw first;
    }
    for (int n = 0; n < nodes; n++) {
      NodeAgent a = agents[n];
      if (a.lost()) {
        continue;
      }

      String asks = askProblem(n);
      if (asks != null) {
        throw violation("ask-answered", endNs, "node " + n + ": " + asks, n);
      }
      Integer launch = a.launchWithoutExitStatus();
      if (launch != null) {
        throw violation("exit-status", endNs, "node " + n + ": the job's launch " + launch
            + " has no exit status: its proxy was never reaped", n);
      }
      String res = a.resourcesProblem();
      if (res != null) {
        throw violation("resources-accounted", endNs, "node " + n + ": " + res, n);
      }
      String memory = memoryProblem(n, a);
      if (memory != null) {
        throw violation("memory-returned", endNs, "node " + n + ": " + memory, n);
      }
      String credits = creditsProblem(n, a);
      if (credits != null) {
        throw violation("ikc-credits", endNs, "node " + n + ": " + credits, n);
      }
      String workers = workersProblem(n);
      if (workers != null) {
        throw violation("workers-free", endNs, "node " + n + ": " + workers, n);
      }
      // a CPU runs only while its instance does: a failed, shut down or destroyed kernel's CPUs are down
      for (int c = 0; c < partition.cpus().size() && a.instanceRunning(); c++) {
        McKernelCpu cpu = (McKernelCpu) hybrid.entity(hybrid.cpuEntity(n, c));
        if (!cpu.stopped() && cpu.hasLiveThreads() && !leftByLostCleanup(n, cpu)) {
          throw violation("no-stuck-thread", endNs, "node " + n + ": a thread on McKernel CPU " + c
              + " is still running or waiting at the end of the run", n);
        }
      }
      long[] ikc = ikcCounts(n);
      if (ikc[0] + ikc[1] != ikc[2] + ikc[4]) {
        throw violation("ikc-accounted", endNs, "node " + n + ": " + ikc[0] + " IKC packets written and " + ikc[1]
            + " duplicated (" + ikc[3] + " dropped before the ring), but " + ikc[2] + " arrived and " + ikc[4]
            + " reached a dead kernel", n);
      }
      String linux = linuxWorkProblem(n);
      if (linux != null) {
        throw violation("linux-undisturbed", endNs, "node " + n + ": " + linux, n);
      }
      if (!a.over()) {
        throw violation("run-ends", endNs, "node " + n + ": the job is still " + a.jobState() + " when the run"
            + " stops at " + endNs + " ns: some work never ends", n);
      }
    }
  }

  /**
   * Whether every ask made on node {@code n} got exactly one outcome (the answer, its timeout or the
   * target's death) by the end: the proxies' asks of mcctrl's release handler, and mcctrl's asks of the
   * McKernel CPUs for remote page faults; null if so.
   */
  private String askProblem(int n) {
    Mcctrl mcctrl = (Mcctrl) hybrid.entity(hybrid.mcctrlEntity(n));
    long faultOutcomes = mcctrl.faultsAnswered() + mcctrl.faultsTargetDied() + mcctrl.faultsTimedOut();
    if (mcctrl.faultAsks() != faultOutcomes) {
      return "mcctrl asked McKernel for " + mcctrl.faultAsks() + " remote faults and got " + faultOutcomes
          + " outcomes";
    }
    for (int slot = 0; slot < instanceSlots; slot++) {
      if (hybrid.entity(hybrid.proxyEntity(n, slot)) instanceof ProxyProcess proxy
          && proxy.asks() != proxy.askOutcomes()) {
        return "the proxy of slot " + slot + " made " + proxy.asks() + " asks and got " + proxy.askOutcomes()
            + " outcomes";
      }
    }
    return null;
  }

  /**
   * Whether every proxy worker on node {@code n} is idle at the end (none held by a call, none waiting in
   * a read of a pipe); null if so.
   */
  private String workersProblem(int n) {
    for (int slot = 0; slot < instanceSlots; slot++) {
      if (hybrid.entity(hybrid.proxyEntity(n, slot)) instanceof ProxyProcess proxy
          && proxy.idleWorkers() != proxy.workers()) {
        return "the proxy of slot " + slot + " has " + (proxy.workers() - proxy.idleWorkers()) + " of its "
            + proxy.workers() + " workers still busy (" + proxy.workersWaitingOnPipes() + " waiting in a read)";
      }
    }
    return null;
  }

  /**
   * Whether every live thread on {@code cpu} (node {@code n}) belongs to a process the
   * run's IKC faults left behind, which is the real consequence of a modelled fault and not a bug: its
   * proxy died, mcctrl's release handler sent McKernel CLEANUP_PROCESS and gave up waiting for the answer
   * (as the driver does after 5 s), McKernel never got the packet (the process never learnt its host
   * was gone) and an ikc-drop fault struck a packet mcctrl wrote to McKernel. In the driver too the
   * clean-up is that one packet: lost, the McKernel process lives on until the instance is shut down.
   */
  private boolean leftByLostCleanup(int n, McKernelCpu cpu) {
    Mcctrl mcctrl = (Mcctrl) hybrid.entity(hybrid.mcctrlEntity(n));
    long dropped = mcctrl.retiredSent().dropped();
    for (IkcSender s : mcctrl.senders()) {
      dropped += s.stats().dropped();
    }
    if (dropped == 0) {
      return false;
    }
    for (int pid : cpu.livePids()) {
      int slot = pid - HybridModel.FIRST_PID;
      if (slot < 0 || slot >= instanceSlots) {
        return false;
      }
      ProxyProcess proxy = (ProxyProcess) hybrid.entity(hybrid.proxyEntity(n, slot));
      McProcess process = (McProcess) hybrid.entity(hybrid.processEntity(n, slot));
      if (!proxy.releaseTimedOut() || process.hostGone()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether every IKC ring of the running instance has all its slots back at the end: each writer (mcctrl's
   * ends of the rings to the McKernel CPUs and of the master channel, each McKernel CPU's end of its ring
   * to Linux) holds its whole share of credits and has nothing waiting for one, so no recovery left a
   * slot taken; null if so, or if no instance runs.
   */
  private String creditsProblem(int n, NodeAgent a) {
    if (!a.instanceRunning()) {
      return null;
    }
    for (IkcSender s : ((Mcctrl) hybrid.entity(hybrid.mcctrlEntity(n))).senders()) {
      String leak = creditLeak("mcctrl", s);
      if (leak != null) {
        return leak;
      }
    }
    for (int c = 0; c < partition.cpus().size(); c++) {
      String leak = creditLeak("McKernel CPU " + c, ((McKernelCpu) hybrid.entity(hybrid.cpuEntity(n, c))).toLinux());
      if (leak != null) {
        return leak;
      }
    }
    return null;
  }

  private static String creditLeak(String writer, IkcSender s) {
    if (s.credits() == s.share() && s.waiting() == 0) {
      return null;
    }
    return writer + " holds " + s.credits() + " of its " + s.share() + " slots of IKC channel " + s.channel()
        + " at the end, " + s.waiting() + " packets waiting for one";
  }

  /**
   * Whether the running instance's memory is accounted for: every byte its partitions granted is held
   * by one of its processes, and a process that has exited holds none (it gave its memory back, however
   * it ended); null if so, or if no instance runs.
   */
  private String memoryProblem(int n, NodeAgent a) {
    if (!a.instanceRunning()) {
      return null;
    }
    long held = 0;
    for (int slot = 0; slot < instanceSlots; slot++) {
      McProcess p = (McProcess) hybrid.entity(hybrid.processEntity(n, slot));
      if (p.exited() && p.heldBytes() != 0) {
        return String.format(Locale.ROOT, "process %d (launch slot %d) has exited but still holds "
            + "%,d bytes of the partition: they never came back", p.pid(), slot, p.heldBytes());
      }
      held += p.heldBytes();
    }
    long granted = 0;
    for (int k = 0; k < scenario.machine().numa().size(); k++) {
      MemoryPartition p = (MemoryPartition) hybrid.entity(hybrid.partitionEntity(n, k));
      granted += p.capacity() - p.free();
    }
    if (granted != held) {
      return String.format(Locale.ROOT, "the partitions have granted %,d bytes, but the processes "
          + "hold %,d", granted, held);
    }
    return null;
  }

  /**
   * Node {@code n}'s IKC packets: written, duplicated, arrived (at a ring of a live kernel or of mcctrl,
   * past incarnations and destroyed channels included), dropped, and reached a dead kernel.
   */
  private long[] ikcCounts(int n) {
    ChannelStats sent = sent(n);
    long arrived = retiredArrivals[n];
    for (int c = 0; c < partition.cpus().size(); c++) {
      arrived += ((McKernelCpu) hybrid.entity(hybrid.cpuEntity(n, c))).ikcArrivals();
    }
    arrived += ((Mcctrl) hybrid.entity(hybrid.mcctrlEntity(n))).ikcArrivals();
    return new long[] {sent.packets(), sent.duplicated(), arrived, sent.dropped(), deadLetters[n]};
  }

  /**
   * Every IKC sender of node {@code n}, their statistics together: the CPUs' (past incarnations
   * included) and mcctrl's (the channels its shutdown notifier destroyed included).
   */
  private ChannelStats sent(int n) {
    Mcctrl mcctrl = (Mcctrl) hybrid.entity(hybrid.mcctrlEntity(n));
    ChannelStats sum = IkcReceiver.combine(retiredSent[n], mcctrl.retiredSent());
    for (int c = 0; c < partition.cpus().size(); c++) {
      sum = IkcReceiver.combine(sum, ((McKernelCpu) hybrid.entity(hybrid.cpuEntity(n, c))).ikcSent());
    }
    for (IkcSender s : mcctrl.senders()) {
      sum = IkcReceiver.combine(sum, s.stats());
    }
    return sum;
  }

  /**
   * Whether the node's Linux-side work ran undisturbed: every slice of it took exactly its cost, on a
   * Linux CPU no failed LWK touches; null if so.
   */
  private String linuxWorkProblem(int n) {
    io.mcksim.linux.LinuxCpu work = (io.mcksim.linux.LinuxCpu) hybrid.entity(hybrid.nativeEntity(n, 0));
    io.mcksim.workloads.LatencyLog times = work.computeTimes();
    long expected = chaos.linuxWorkNs();
    if (times.count() > 0 && (times.min() != expected || times.max() != expected)) {
      return "a slice of Linux-side work took " + times.max() + " ns instead of " + expected + " ns";
    }
    return null;
  }

  /** What happened in the run, node by node and in all. */
  public record Outcome(long faultsFired, Map<String, Long> faultsByKind, long recoveries, List<String> jobs,
      long reboots, long relaunches, long processes) {

    /** "done 3, restarted-done 1" style summary of the nodes' job outcomes. */
    public String jobSummary() {
      Map<String, Integer> count = new TreeMap<>();
      jobs.forEach(j -> count.merge(j, 1, Integer::sum));
      StringBuilder sb = new StringBuilder();
      count.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
      return sb.toString();
    }
  }

  /** The outcome of a run whose figures are not reported (it stopped on an exception of the model). */
  Outcome emptyOutcome() {
    Map<String, Long> none = new TreeMap<>();
    ChaosSettings.KINDS.forEach(kind -> none.put(kind, 0L));
    return new Outcome(0, Map.copyOf(none), 0, List.of(), 0, 0, 0);
  }

  public Outcome outcome() {
    long reboots = 0;
    long relaunches = 0;
    long processes = 0;
    List<String> jobs = new ArrayList<>();
    Map<String, Long> all = new TreeMap<>();
    for (String kind : ChaosSettings.KINDS) {
      all.put(kind, 0L);
    }
    for (int n = 0; n < nodes; n++) {
      NodeAgent a = agents[n];
      reboots += a.reboots();
      relaunches += a.relaunches;
      processes += a.launched();
      jobs.add(a.jobState());
      a.fired().forEach((k, v) -> all.merge(k, v, Long::sum));
      // IKC faults count the packets they struck, as the channels counted them
      ChannelStats st = sent(n);
      all.merge("ikc-drop", st.dropped(), Long::sum);
      all.merge("ikc-delay", st.delayed(), Long::sum);
      all.merge("ikc-duplicate", st.duplicated(), Long::sum);
      all.merge("ikc-clog", st.clogged(), Long::sum);
    }
    long total = all.values().stream().mapToLong(Long::longValue).sum();
    if (controller != null) {
      relaunches += controller.requeues();
    }
    return new Outcome(total, Map.copyOf(all), reboots + relaunches, List.copyOf(jobs), reboots, relaunches,
        processes);
  }

  /** How an event reads in the replay's event log. */
  public String describe(int target, int source, Object payload) {
    return nameOf(target) + " <- " + (source == target ? "itself" : nameOf(source)) + ": " + payload;
  }
}
