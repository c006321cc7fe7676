package io.mcksim.machine.chaos;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.VirtualTime;
import io.mcksim.ihk.IhkMaster;
import io.mcksim.ihk.IhkNode;
import io.mcksim.ihk.IhkParts;
import io.mcksim.ihk.Operator;
import io.mcksim.ihk.OsStatus;
import io.mcksim.linux.LinuxService;
import io.mcksim.linux.ProxyProcess;
import io.mcksim.machine.HybridModel;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.MemoryPartition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What a node runs besides IHK, one entity: the job manager (it runs mcexec, reads the job's stdout for
 * its checkpoints, reaps it, and applies the time limit and the job's policy), ihkmond's monitor (it
 * follows the instance's status through IHK's status events, reads every McKernel CPU's monitor word
 * each {@code monitor-interval} and reports a CPU whose word stays in the kernel with the same counter to
 * IHK's master as a hang, {@link IhkMaster.HangFound}) and the administrator's clean-up (after a failed
 * boot, or an instance IHK's reboot policy gave up on: {@code mcstop+release.sh}, then {@code
 * mcreboot.sh} again if the policy allows, run by the node's {@link Operator}).
 *
 * <p>IHK itself is the node model's: the operator boots the node with {@code mcreboot.sh} at time 0, IHK's
 * master supervises the OS instance with the reboot policy as its strategy, and the instance its McKernel
 * CPUs, memory partitions and processes (see {@link HybridModel#supervision}). A panic is the engine's
 * crash of the CPU, escalated through the instance to the master, which restarts the instance in place
 * (same entities, a new incarnation) after the backoff; mcexec's watch of its process ends it (137), and
 * the job manager relaunches the job on the rebooted instance by the job's policy.
 *
 * <p>It also delivers the faults: the scheduled ones at their time, and each armed site's draws at every
 * monitor check while the instance runs (per McKernel CPU of the job for a panic, a hang or an exhausted
 * partition; per node for a proxy's death, a signal, the Linux service's crash and the node's loss) and
 * before each boot (a boot failure, {@link IhkMaster.InjectBootFailure}), each to the real entity's own
 * fault entry point. IKC faults are the rings' fault rules (see {@link ChaosMachine}).
 */
final class NodeAgent implements SimEntity {

  private enum Job { PENDING, RUNNING, DONE, FAILED, LOST }

  /** The agent's own events. */
  private record Strike(ChaosMachine.Strike fault) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return fault.fingerprint();
    }
  }

  private record MonitorTick(long round) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return round;
    }
  }

  /** The backoff after a failure that left no instance is over: boot again. */
  private record Reboot(int failure) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return failure * 17L;
    }
  }

  private record Relaunch(int attempt) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return attempt * 13L;
    }
  }

  private record TimeLimit(int launch) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return launch * 11L;
    }
  }

  /** The signal the batch system sends (the {@code signal} fault). */
  private static final int SIGTERM = io.mcksim.workloads.Signals.number("SIGTERM");

  private final ChaosMachine m;
  private final int node;
  private final SplittableRandom random;
  private final List<ChaosMachine.Strike> strikes;
  private final Trail trail = new Trail();
  private final Map<String, Long> fired = new TreeMap<>();
  /** The instance's status as IHK's last status event showed it ("none" before the first). */
  private String status = "none";
  /** Whether the boot under way is {@code mcreboot.sh}'s (which undoes itself if it fails), not IHK's restart. */
  private boolean scriptBoot = true;
  /** Whether the reboot policy gave up on this node: its clean-up is under way, and the job fails. */
  private boolean givenUp;
  private Job job = Job.PENDING;
  private boolean lost;
  /** The first invariant this node broke while the run went, or null; the node then does nothing more. */
  private InvariantViolation violation;
  /** LWK failures: the instance's (PANIC, HUNGUP), which the master's strategy counts, and failed boots. */
  private int crashes;
  private int failures;
  /** Boots {@code mcreboot.sh} made again after a failure that left no instance. */
  private long scriptReboots;
  long relaunches;
  /** Every process launched, in order, with its exit status (null while it runs). */
  private final List<Integer> exits = new ArrayList<>();
  /**
   * The launch running (its number, from 0), -1 if none; the process slot of its first process (the
   * others follow), the index of its first process in {@link #exits}, its processes not reaped yet, and
   * whether one of them ended with a status other than 0. The next free slot; launches so far.
   */
  private int current = -1;
  private int currentSlot;
  private int firstExit;
  private int unreaped;
  private boolean launchFailed;
  private int nextSlot;
  private int launches;
  /** The machine-wide launch the batch system asked for that waits to start (memory), or -1. */
  private int pendingLaunch = -1;
  private int from;
  private int lastFrom;
  private final int[] checkpointOf;
  private final int[] checkpoints;
  private long memoryBack;
  private String lastFailure = "";
  /** ihkmond: the round of reads under way, each CPU's word at the last read, and a hang reported. */
  private long round;
  private final String[] lastState;
  private final long[] lastCounter;
  private boolean hangReported;

  NodeAgent(ChaosMachine m, int node, SplittableRandom random, List<ChaosMachine.Strike> strikes) {
    this.m = m;
    this.node = node;
    this.random = random;
    this.strikes = List.copyOf(strikes);
    this.checkpointOf = new int[m.threads];
    this.checkpoints = new int[m.threads];
    this.lastState = new String[m.partition.cpus().size()];
    this.lastCounter = new long[m.partition.cpus().size()];
    for (String kind : io.mcksim.config.ChaosSettings.KINDS) {
      fired.put(kind, 0L);
    }
  }

  @Override
  public void start(SimContext ctx) {
    for (ChaosMachine.Strike s : strikes) {
      ctx.send(ctx.self(), s.atNs(), 0, new Strike(s));
    }
    // the operator runs mcreboot.sh now: its boot may fail
    drawBootFailure(ctx);
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    trail.add(ctx.now(), source, payload);
    if (lost || violation != null) {
      return;
    }
    if (payload instanceof IhkMaster.StatusChanged s) {
      onStatus(ctx, s);
    } else if (payload instanceof IhkMaster.IhkError e) {
      ihkError(ctx, e);
    } else if (payload instanceof Strike s) {
      onStrike(ctx, s.fault());
    } else if (payload instanceof MonitorTick t) {
      onMonitorTick(ctx, t);
    } else if (payload instanceof McKernelCpu.MonitorWord w) {
      onMonitorWord(ctx, w);
    } else if (payload instanceof ProxyProcess.Output o) {
      onOutput(source, o);
    } else if (payload instanceof ProxyProcess.Exited e) {
      onExited(ctx, source, e);
    } else if (payload instanceof TimeLimit t) {
      if (t.launch() == current) {
        for (int i = 0; i < m.perLaunch; i++) {
          if (exits.get(firstExit + i) == null) {
            ctx.send(proxy(currentSlot + i), m.messageNs, 0, new ProxyProcess.Kill());
          }
        }
      }
    } else if (payload instanceof Reboot) {
      reboot(ctx);
    } else if (payload instanceof Relaunch) {
      if (job == Job.PENDING && running() && current < 0 && (!m.job.machineWide() || pendingLaunch >= 0)) {
        launch(ctx);
      }
    } else if (payload instanceof JobController.Launch l) {
      onLaunch(ctx, l.launch());
    } else if (payload instanceof JobController.Cancel c) {
      onCancel(ctx, c.launch());
    } else if (payload instanceof JobController.Ended e) {
      job = e.done() ? Job.DONE : Job.FAILED;
    } else if (!(payload instanceof IhkMaster.Reply)) {
      throw new IllegalStateException("node " + node + " job manager: unexpected " + payload);
    }
  }

  // ---------------------------------------------------------------- IHK's status, as ihkmond sees it

  private void onStatus(SimContext ctx, IhkMaster.StatusChanged s) {
    String was = status;
    status = s.status();
    if (m.job.machineWide() && was.equals("RUNNING") != running()) {
      ctx.send(m.controllerEntity(), m.messageNs, 0, new JobController.NodeState(node, running()));
    }
    switch (s.status()) {
      case "RUNNING" -> booted(ctx);
      case "PANIC", "HUNGUP" -> lwkFailed(ctx, s);
      case "INACTIVE" -> {
        if (was.equals("BOOTING")) {
          bootFailed(ctx);
        }
      }
      case "DESTROYED" -> destroyed(ctx);
      default -> { } // BOOTING, SHUTDOWN, FROZEN: nothing to do
    }
  }

  /** The instance runs: ihkmond starts reading its CPUs, and the job runs if it waits. */
  private void booted(SimContext ctx) {
    scriptBoot = false;
    Arrays.fill(lastState, null);
    hangReported = false;
    ctx.send(ctx.self(), m.chaos.monitorIntervalNs(), 0, new MonitorTick(++round));
    if (job == Job.PENDING && current < 0 && !m.job.machineWide()) {
      launch(ctx);
    }
  }

  /**
   * The instance failed (PANIC or HUNGUP; its CPUs, memory and processes died with it, and mcexec's watch
   * ends the proxy): IHK's master restarts it in place if its reboot policy allows; otherwise the
   * administrator shuts it down and gives everything back to Linux, and the job fails.
   */
  private void lwkFailed(SimContext ctx, IhkMaster.StatusChanged s) {
    crashes++;
    failures++;
    lastFailure = s.status() + (s.cause().isEmpty() ? "" : " (" + s.cause() + ")");
    if (m.rebootAllowed(crashes)) {
      drawBootFailure(ctx); // of the restart
    } else {
      giveUp(ctx, List.of(new Operator.Job("shutdown", List.of(Operator.Step.command("ihkosctl 0 shutdown")), false),
          Operator.mcstopRelease()));
    }
  }

  /**
   * A boot failed (INACTIVE, the instance's resources still assigned): {@code mcreboot.sh}'s own boot
   * undoes its steps; after IHK's restart in place the administrator destroys and releases. Either way
   * the instance is then gone ({@link #destroyed}).
   */
  private void bootFailed(SimContext ctx) {
    failures++;
    lastFailure = "boot failure";
    if (!scriptBoot && m.bug != ChaosMachine.PlantedBug.RESOURCES_NOT_RELEASED) {
      ctx.send(operator(), m.messageNs, 0, Operator.mcstopRelease());
    } else if (!scriptBoot) {
      destroyed(ctx); // the planted bug: as if the clean-up had been made
    }
  }

  /** The instance is gone after a failure: boot again after the backoff if the policy allows, else the job fails. */
  private void destroyed(SimContext ctx) {
    if (givenUp) {
      return;
    }
    if (m.chaos.reboot().policy().equals("on-failure") && failures <= m.chaos.reboot().max()) {
      ctx.send(ctx.self(), Math.max(1, m.chaos.reboot().backoffNs()), 0, new Reboot(failures));
    } else {
      giveUp(ctx, List.of());
    }
  }

  /** {@code mcreboot.sh} again, by the operator. */
  private void reboot(SimContext ctx) {
    scriptReboots++;
    scriptBoot = true;
    drawBootFailure(ctx);
    for (Operator.Job script : new IhkParts(m.scenario).bootJobs()) {
      ctx.send(operator(), m.messageNs, 0, script);
    }
  }

  /** The reboot policy gives up: the administrator runs {@code cleanup}, and the job fails. */
  private void giveUp(SimContext ctx, List<Operator.Job> cleanup) {
    givenUp = true;
    if (m.job.machineWide()) {
      ctx.send(m.controllerEntity(), m.messageNs, 0, new JobController.NodeGone(node));
    }
    if (current < 0 && !over()) {
      job = Job.FAILED;
    }
    if (scriptBoot || m.bug == ChaosMachine.PlantedBug.RESOURCES_NOT_RELEASED) {
      return; // mcreboot.sh undoes its own boot
    }
    for (Operator.Job j : cleanup) {
      ctx.send(operator(), m.messageNs, 0, j);
    }
  }

  /** The boot-failure site's draw for the next boot: IHK is told which CPU fails to come up. */
  private void drawBootFailure(SimContext ctx) {
    if (fires("boot-failure")) {
      injectBootFailure(ctx);
    }
  }

  private void injectBootFailure(SimContext ctx) {
    ctx.send(master(), m.messageNs, 0, new IhkMaster.InjectBootFailure(0, 0, m.partition.cpus().size() - 1,
        ctx.self()));
  }

  /**
   * IHK went wrong (its master records the error and the run goes on): a status step its driver cannot
   * take is {@code ihk-legal-steps}, books that do not add up {@code resources-accounted}. The node does
   * nothing more; the run's row carries the violation.
   */
  private void ihkError(SimContext ctx, IhkMaster.IhkError e) {
    String invariant = e.kind().equals("illegal-step") ? "ihk-legal-steps" : "resources-accounted";
    violation = m.violation(invariant, ctx.now(), "node " + node + ": IHK " + e.kind() + (e.os() >= 0 ? " on OS "
        + e.os() : "") + ": " + e.message(), node);
  }

  /**
   * The first invariant this node broke while the run went, or null: an IHK error its master recorded
   * (IHK's master checks its own books after every step and refuses an illegal status step).
   */
  InvariantViolation violation() {
    return violation;
  }

  // ---------------------------------------------------------------- ihkmond and faults

  /** ihkmond's check: the sites' draws, then a read of every McKernel CPU's monitor word. */
  private void onMonitorTick(SimContext ctx, MonitorTick t) {
    if (t.round() != round || !running() || over()) {
      return;
    }
    if (fires("node-loss")) {
      loseNode(ctx);
      return;
    }
    for (int c = 0; c < m.threads; c++) {
      if (fires("lwk-panic")) {
        ctx.send(cpu(c), 1, 0, new McKernelCpu.Panic());
      } else if (fires("lwk-hang")) {
        ctx.send(cpu(c), 1, 0, new McKernelCpu.Hang());
      } else if (fires("memory-exhaustion")) {
        exhaust(ctx, m.chaos.sites().get("memory-exhaustion").durationNs());
      }
    }
    if (fires("proxy-death") && current >= 0) {
      killOne(ctx);
    }
    if (fires("signal") && current >= 0) {
      terminate(ctx);
    }
    if (fires("service-crash")) {
      crashService(ctx, m.chaos.serviceRestartNs());
    }
    for (int c = 0; c < lastState.length; c++) {
      ctx.send(cpu(c), m.messageNs, 0, new McKernelCpu.ReadMonitor(round));
    }
    ctx.send(ctx.self(), m.chaos.monitorIntervalNs(), 0, new MonitorTick(++round));
  }

  /** A CPU's monitor word: in the kernel twice with the same counter is a hang, which IHK is told of. */
  private void onMonitorWord(SimContext ctx, McKernelCpu.MonitorWord w) {
    if (!running() || hangReported || over()) {
      return;
    }
    if (w.state().equals("KERNEL") && "KERNEL".equals(lastState[w.cpu()]) && lastCounter[w.cpu()] == w.counter()) {
      hangReported = true;
      ctx.send(master(), m.messageNs, 0, new IhkMaster.HangFound(0, w.cpu()));
    } else {
      lastState[w.cpu()] = w.state();
      lastCounter[w.cpu()] = w.counter();
    }
  }

  private void onStrike(SimContext ctx, ChaosMachine.Strike s) {
    if (s.kind().startsWith("ikc-")) {
      // a rule on the live instance's channels to Linux, counted when it strikes a packet
      for (int c = 0; c < m.threads && running(); c++) {
        if (s.cpu() < 0 || s.cpu() == c) {
          ctx.send(cpu(c), 1, 0, new McKernelCpu.IkcFault(ChaosMachine.ikcRule(s)));
        }
      }
      return;
    }
    fired.merge(s.kind(), 1L, Long::sum);
    boolean up = running() || status.equals("BOOTING");
    switch (s.kind()) {
      case "boot-failure" -> injectBootFailure(ctx);
      case "proxy-death" -> {
        if (current >= 0) {
          killOne(ctx);
        }
      }
      case "signal" -> {
        if (current >= 0) {
          terminate(ctx);
        }
      }
      case "service-crash" -> crashService(ctx, s.durationNs() > 0 ? s.durationNs() : m.chaos.serviceRestartNs());
      case "node-loss" -> loseNode(ctx);
      case "memory-exhaustion" -> {
        if (up) {
          exhaust(ctx, s.durationNs());
        }
      }
      default -> {
        for (int c = 0; c < m.threads && up; c++) {
          if (s.cpu() < 0 || s.cpu() == c) {
            ctx.send(cpu(c), 1, 0, s.kind().equals("lwk-panic") ? new McKernelCpu.Panic() : new McKernelCpu.Hang());
          }
        }
      }
    }
  }

  /**
   * The batch system sends the job's mcexecs SIGTERM (as on a job's cancellation or pre-emption): each
   * relays it to its McKernel process, whose default action ends it; mcexec exits with it (143).
   */
  private void terminate(SimContext ctx) {
    for (int i = 0; i < m.perLaunch; i++) {
      if (exits.get(firstExit + i) == null) {
        ctx.send(proxy(currentSlot + i), 1, 0, new io.mcksim.ikc.Offload.Signal(SIGTERM));
      }
    }
  }

  /** mcexec of the launch's first process still running is SIGKILLed (a proxy's death). */
  private void killOne(SimContext ctx) {
    for (int i = 0; i < m.perLaunch; i++) {
      if (exits.get(firstExit + i) == null) {
        ctx.send(proxy(currentSlot + i), 1, 0, new ProxyProcess.Kill());
        return;
      }
    }
  }

  /** The Linux service the proxy's calls go to is down for {@code outageNs}, on every Linux CPU they use. */
  private void crashService(SimContext ctx, long outageNs) {
    for (int id : m.linuxServiceEntities(node)) {
      ctx.send(id, 1, 0, new LinuxService.Crash(outageNs));
    }
  }

  /** Every partition of the instance grants nothing for {@code durationNs}. */
  private void exhaust(SimContext ctx, long durationNs) {
    memoryBack = Math.max(memoryBack, VirtualTime.after(ctx.now(), durationNs));
    for (int n = 0; n < m.scenario.machine().numa().size(); n++) {
      ctx.send(m.partitionEntity(node, n), 1, 0, new MemoryPartition.Exhaust(durationNs));
    }
  }

  /** The node is gone, and everything on it: its CPUs stop, and nothing more happens here. */
  private void loseNode(SimContext ctx) {
    fired.merge("node-loss", 0L, Long::sum);
    if (m.job.machineWide()) {
      ctx.send(m.controllerEntity(), m.messageNs, 0, new JobController.NodeGone(node));
    }
    lost = true;
    job = Job.LOST;
    for (int c = 0; c < lastState.length; c++) {
      ctx.send(cpu(c), 1, 0, new McKernelCpu.Halt());
    }
  }

  // ---------------------------------------------------------------- the job

  /** mcexec runs each of the job's processes, in the instance's next free process slots. */
  private void launch(SimContext ctx) {
    if (ctx.now() < memoryBack) {
      ctx.send(ctx.self(), memoryBack - ctx.now(), 0, new Relaunch(exits.size()));
      return;
    }
    if (nextSlot + m.perLaunch > m.slots) {
      job = Job.FAILED; // every process slot is used up
      return;
    }
    currentSlot = nextSlot;
    nextSlot += m.perLaunch;
    firstExit = exits.size();
    unreaped = m.perLaunch;
    launchFailed = false;
    current = launches++;
    pendingLaunch = -1;
    job = Job.RUNNING;
    lastFrom = from;
    Arrays.fill(checkpointOf, from);
    Arrays.fill(checkpoints, 0);
    for (int i = 0; i < m.perLaunch; i++) {
      exits.add(null);
      ctx.send(proxy(currentSlot + i), m.messageNs, 0,
          new ProxyProcess.Exec(pid(currentSlot + i), m.job.startOf(from)));
    }
    ctx.send(ctx.self(), m.chaos.job().timeLimitNs(), 0, new TimeLimit(current));
  }

  /** A thread of the running process wrote its checkpoint line on stdout (a job that checkpoints). */
  private void onOutput(int source, ProxyProcess.Output o) {
    if (current < 0 || source != proxy(currentSlot) || m.job.checkpointInterval() == 0) {
      return;
    }
    int t = o.tid() == o.pid() ? 0 : o.tid() % 1000;
    checkpointOf[t] = lastFrom + ++checkpoints[t] * m.chaos.job().checkpointInterval();
  }

  /**
   * An mcexec of the launch exited (its process ended, or it was killed): reaped. Once every one is, the
   * launch is over: done if each exited with status 0, else the job goes on by its policy.
   */
  private void onExited(SimContext ctx, int source, ProxyProcess.Exited e) {
    int i = current < 0 ? -1 : source - proxy(currentSlot);
    if (i < 0 || i >= m.perLaunch || source != proxy(currentSlot + i) || exits.get(firstExit + i) != null) {
      return;
    }
    if (m.bug == ChaosMachine.PlantedBug.MODEL_EXCEPTION && e.status() == 137) {
      throw new IllegalStateException("node " + node + " job manager: planted bug: reaped mcexec of slot "
          + (currentSlot + i) + " with status 137");
    }
    exits.set(firstExit + i, e.status());
    launchFailed |= e.status() != 0;
    if (--unreaped > 0) {
      return;
    }
    if (m.job.machineWide()) {
      // the batch system decides for the whole machine
      ctx.send(m.controllerEntity(), m.messageNs, 0, new JobController.PartOver(node, current, launchFailed));
      current = -1;
      // a node IHK's reboot policy gave up on is gone for good (the batch system was told): its job failed
      job = givenUp ? Job.FAILED : Job.PENDING;
      return;
    }
    current = -1;
    if (!launchFailed) {
      job = Job.DONE;
      return;
    }
    if (givenUp) {
      job = Job.FAILED;
      return;
    }
    afterKill();
    if (job == Job.PENDING) {
      ctx.send(ctx.self(), m.messageNs, 0, new Relaunch(exits.size()));
    }
  }

  /**
   * The batch system runs this node's part of a machine-wide job's launch {@code l}, in the process slots
   * of that launch (its ranks' threads know their launch); a node that no longer runs McKernel has none to
   * run, and says its part is over, failed.
   */
  private void onLaunch(SimContext ctx, int l) {
    if (!running() || current >= 0) {
      ctx.send(m.controllerEntity(), m.messageNs, 0, new JobController.PartOver(node, l, true));
      return;
    }
    pendingLaunch = l;
    launches = l;
    nextSlot = l * m.perLaunch;
    launch(ctx);
  }

  /** The batch system ends launch {@code l} on this node: mcexec of each process still running is killed. */
  private void onCancel(SimContext ctx, int l) {
    if (current == l) {
      for (int i = 0; i < m.perLaunch; i++) {
        if (exits.get(firstExit + i) == null) {
          ctx.send(proxy(currentSlot + i), m.messageNs, 0, new ProxyProcess.Kill());
        }
      }
    } else if (pendingLaunch == l) {
      pendingLaunch = -1; // waiting for memory: it never starts
      ctx.send(m.controllerEntity(), m.messageNs, 0, new JobController.PartOver(node, l, true));
    }
  }

  /** The job's policy, once its process is gone: at most {@code chaos.job.max-requeues} launches again. */
  private void afterKill() {
    if (relaunches >= m.chaos.job().maxRequeues()) {
      job = Job.FAILED;
      return;
    }
    switch (m.chaos.job().policy()) {
      case "fail" -> job = Job.FAILED;
      case "requeue" -> {
        from = 0;
        job = Job.PENDING;
        relaunches++;
      }
      default -> {
        int cp = Integer.MAX_VALUE;
        for (int c : checkpointOf) {
          cp = Math.min(cp, c);
        }
        from = cp;
        job = Job.PENDING;
        relaunches++;
      }
    }
  }

  // ---------------------------------------------------------------- where things are

  private boolean running() {
    return status.equals("RUNNING");
  }

  private int cpu(int c) {
    return m.hybrid().cpuEntity(node, c);
  }

  private int proxy(int slot) {
    return m.hybrid().proxyEntity(node, slot);
  }

  private int master() {
    return m.hybrid().masterEntity(node);
  }

  private int operator() {
    return m.hybrid().operatorEntity(node);
  }

  private static int pid(int slot) {
    return HybridModel.FIRST_PID + slot;
  }

  private boolean fires(String kind) {
    if (m.armed(kind) && random.nextDouble() < m.chaos.sites().get(kind).fire()) {
      fired.merge(kind, 1L, Long::sum);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- what the checkers read

  Trail trail() {
    return trail;
  }

  Map<String, Long> fired() {
    return fired;
  }

  /** IHK's books of this node, kept by its master (read after the run). */
  private IhkNode ihk() {
    return m.hybrid().master(node).ihk();
  }

  /** Reboots: the master's restarts in place, and {@code mcreboot.sh}'s boots after a failure that left no instance. */
  long reboots() {
    return m.hybrid().master(node).reboots() + scriptReboots;
  }

  ChaosMachine.NodeReport report() {
    List<Integer> oses = ihk().osInstances();
    return new ChaosMachine.NodeReport(node, jobState(), new ArrayList<>(exits), reboots(), relaunches,
        lastFailure, lastFrom, oses.isEmpty() ? "none" : ihk().status(oses.get(0)).shown(), resourcesProblem());
  }

  boolean lost() {
    return lost;
  }

  /** Whether the instance runs at the end (booted, not failed nor shut down), by IHK's books. */
  boolean instanceRunning() {
    List<Integer> oses = ihk().osInstances();
    return !oses.isEmpty() && ihk().status(oses.get(0)) == OsStatus.RUNNING;
  }

  boolean over() {
    return job == Job.DONE || job == Job.FAILED || job == Job.LOST;
  }

  int launched() {
    return exits.size();
  }

  String jobState() {
    return job.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** A launch (its number, from 0) without an exit status, or null. */
  Integer launchWithoutExitStatus() {
    for (int i = 0; i < exits.size(); i++) {
      if (exits.get(i) == null) {
        return i;
      }
    }
    return null;
  }

  /**
   * Where the resources stand at the end in IHK's books (the master's {@link IhkNode}), or null if they
   * are where they should be: with a running instance exactly its partition, else everything back with
   * Linux.
   */
  String resourcesProblem() {
    IhkNode ihk = ihk();
    try {
      ihk.check();
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    List<Integer> oses = ihk.osInstances();
    if (instanceRunning()) {
      int os = oses.get(0);
      return oses.size() == 1 && ihk.instance(os).cpus().size() == m.partition.cpus().size() ? null
          : "the instance runs with " + ihk.instance(os).cpus().size() + " CPUs, beside " + (oses.size() - 1)
          + " other instances";
    }
    if (!oses.isEmpty()) {
      int os = oses.get(0);
      return "OS " + os + " still exists (" + ihk.status(os).shown() + ") after " + lastFailure + "; its CPUs "
          + ihk.queryOsCpu(os) + " are not back with Linux";
    }
    if (!ihk.pooledCpus().isEmpty()) {
      return "CPUs " + ihk.pooledCpus() + " are still reserved, not back with Linux";
    }
    for (int n = 0; n < m.scenario.machine().numa().size(); n++) {
      if (ihk.reserved(n) != 0) {
        return ihk.reserved(n) + " bytes of NUMA " + n + " are still reserved, not back with Linux";
      }
    }
    return null;
  }
}
