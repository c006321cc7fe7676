package io.mcksim.machine.chaos;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.VirtualTime;
import io.mcksim.config.CpuList;
import io.mcksim.ihk.IhkCommand;
import io.mcksim.ihk.IhkException;
import io.mcksim.ihk.IhkNode;
import io.mcksim.ihk.IhkParts;
import io.mcksim.ihk.InstanceDump;
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
 * A node's IHK side and its job manager, one entity: IHK's master (the node's {@link IhkNode}, booting
 * McKernel with {@code mcreboot.sh}'s script, the same steps in the same order as every other boot,
 * which take the time {@link io.mcksim.machine.IhkNodes#bootAloneNs} gives), ihkmond (it reads every McKernel CPU's
 * monitor word each {@code monitor-interval}: PANIC, or a kernel state whose counter did not move
 * between two reads, HUNGUP) and the job manager (it runs mcexec, reads the job's stdout for its
 * checkpoints, reaps it, and applies the time limit and the job's policy).
 *
 * <p>It also delivers the faults: the scheduled ones at their time, and each armed site's draws at every
 * monitor check (per McKernel CPU of the job for a panic, a hang or an exhausted partition; per node for
 * a proxy's death, the Linux service's crash and the node's loss; per boot for a boot failure), each to
 * the real entity's own fault entry point. IKC faults are the rings' fault rules (see
 * {@link ChaosMachine}).
 *
 * <p>An LWK failure (a panic's status notice, a hang the monitor finds, a failed boot): the instance shows
 * PANIC or HUNGUP, its CPUs are halted, the dump is taken, the proxy is killed and reaped (exit status
 * 137); then shutdown, destroy and release give the resources back to Linux, and IHK reboots by policy
 * after a backoff, onto the next boot's instance. A process that ends while its LWK is healthy (its
 * proxy died, it ran out of memory, its time limit) is reaped the same way. Either way the job then
 * follows its policy: fail, requeue, or restart from its last checkpoint.
 */
final class NodeAgent implements SimEntity {

  private enum Phase { DOWN, BOOTING, RUNNING, FAILING, SHUTTING, BACKOFF }

  private enum Job { PENDING, RUNNING, DONE, FAILED, LOST }

  /** The agent's own events. */
  private record Strike(ChaosMachine.Strike fault) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return fault.fingerprint();
    }
  }

  private record BootDone(int boot) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return boot;
    }
  }

  private record MonitorTick(int boot, long round) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return round * 31 + boot;
    }
  }

  private record ShutdownDone(int boot) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return ~boot;
    }
  }

  private record Reboot(int boot) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return boot * 17L;
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

  private final ChaosMachine m;
  private final int node;
  private final SplittableRandom random;
  private final List<ChaosMachine.Strike> strikes;
  private final IhkNode ihk;
  private final CpuList cpus;
  private final Trail trail = new Trail();
  private final Map<String, Long> fired = new TreeMap<>();
  private int os = -1;
  /** The boot under way or running (its instance's entities), -1 before the first. */
  private int boot = -1;
  private Phase phase = Phase.DOWN;
  private Job job = Job.PENDING;
  private boolean bootFails;
  private boolean lost;
  /** The first invariant this node broke while the run went, or null; the node then does nothing more. */
  private InvariantViolation violation;
  private int failures;
  long reboots;
  long relaunches;
  private final List<InstanceDump> dumps = new ArrayList<>();
  /** Every launch's exit status, in order (null while it runs). */
  private final List<Integer> exits = new ArrayList<>();
  /** The launch running, -1 if none; its slot in its boot's instance; the next free slot. */
  private int current = -1;
  private int currentSlot;
  private int nextSlot;
  private boolean holding;
  private int from;
  private int lastFrom;
  private final int[] checkpointOf;
  private final int[] checkpoints;
  private long memoryBack;
  private String lastFailure = "";
  /** ihkmond: the round of reads under way, and each CPU's word at the last read. */
  private long round;
  /** The signal the batch system sends (the {@code signal} fault). */
  private static final int SIGTERM = io.mcksim.workloads.Signals.number("SIGTERM");
  private final String[] lastState;
  private final long[] lastCounter;

  NodeAgent(ChaosMachine m, int node, SplittableRandom random, List<ChaosMachine.Strike> strikes) {
    this.m = m;
    this.node = node;
    this.random = random;
    this.strikes = List.copyOf(strikes);
    this.ihk = new IhkNode(m.scenario.machine(), m.scenario.os().maxInstances());
    this.cpus = m.partition.cpus();
    this.checkpointOf = new int[m.threads];
    this.checkpoints = new int[m.threads];
    this.lastState = new String[cpus.size()];
    this.lastCounter = new long[cpus.size()];
    for (String kind : io.mcksim.config.ChaosSettings.KINDS) {
      fired.put(kind, 0L);
    }
  }

  @Override
  public void start(SimContext ctx) {
    for (ChaosMachine.Strike s : strikes) {
      ctx.send(ctx.self(), s.atNs(), 0, new Strike(s));
    }
    boot(ctx);
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    trail.add(ctx.now(), source, payload);
    if (lost || violation != null) {
      return;
    }
    try {
      if (payload instanceof Strike s) {
        onStrike(ctx, s.fault());
      } else if (payload instanceof BootDone b) {
        onBootDone(ctx, b);
      } else if (payload instanceof MonitorTick t) {
        onMonitorTick(ctx, t);
      } else if (payload instanceof McKernelCpu.MonitorWord w) {
        onMonitorWord(ctx, source, w);
      } else if (payload instanceof McKernelCpu.StatusNotice n) {
        if (ofCurrentBoot(source) && (phase == Phase.RUNNING || phase == Phase.BOOTING)) {
          ihk.panicked(os);
          lwkFailed(ctx, n.status() + " (McKernel CPU " + n.cpu() + ")");
        }
      } else if (payload instanceof ProxyProcess.Output o) {
        onOutput(source, o);
      } else if (payload instanceof ProxyProcess.Exited e) {
        onExited(ctx, source, e);
      } else if (payload instanceof TimeLimit t) {
        if (t.launch() == current && exits.get(current) == null && phase == Phase.RUNNING) {
          ctx.send(proxy(currentSlot), m.messageNs, 0, new ProxyProcess.Kill());
        }
      } else if (payload instanceof ShutdownDone d) {
        if (d.boot() == boot && phase == Phase.SHUTTING) {
          ihk.shutdownDone(os);
          if (m.bug != ChaosMachine.PlantedBug.RESOURCES_NOT_RELEASED) {
            releaseInstance();
          }
          phase = Phase.DOWN;
          afterLwkDown(ctx);
        }
      } else if (payload instanceof Reboot r) {
        if (r.boot() == boot && phase == Phase.BACKOFF) {
          reboots++;
          boot(ctx);
        }
      } else if (payload instanceof Relaunch) {
        if (job == Job.PENDING && phase == Phase.RUNNING && current < 0) {
          launch(ctx);
        }
      } else {
        throw new IllegalStateException("node " + node + " IHK: unexpected " + payload);
      }
    } catch (io.mcksim.ihk.IhkNode.IllegalStep e) {
      violated(ctx, "ihk-legal-steps", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- IHK: boot and shutdown

  /**
   * {@code mcreboot.sh}: the scenario's boot script, step by step on this node's IHK (a refused step
   * undoes the completed ones in reverse); its boot ends when the script would have seen RUNNING.
   */
  private void boot(SimContext ctx) {
    if (boot + 1 >= m.boots) {
      throw new IllegalStateException("node " + node + ": boot " + (boot + 1) + " beyond the " + m.boots
          + " the reboot policy allows");
    }
    for (Operator.Job script : new IhkParts(m.scenario).bootJobs()) {
      String refused = run(script);
      if (refused != null) {
        // the partition's resources should all be back with Linux before a boot
        violated(ctx, "resources-accounted", "IHK refused the boot: " + refused);
        return;
      }
    }
    check(ctx);
    boot++;
    nextSlot = 0;
    phase = Phase.BOOTING;
    if (fires("boot-failure")) {
      bootFails = true;
    }
    ctx.send(ctx.self(), Math.max(1, m.bootNs), 0, new BootDone(boot));
  }

  /** Runs a script's steps on this node's IHK; the refusal's message, or null. */
  private String run(Operator.Job script) {
    List<Operator.Step> done = new ArrayList<>();
    for (Operator.Step step : script.steps()) {
      try {
        switch (step.kind()) {
          case COMMAND -> apply(IhkCommand.parse(step.line()));
          case DESTROY_ALL -> {
            for (int o : ihk.osInstances()) {
              ihk.destroy(o);
            }
          }
          default -> { } // WAIT_RUNNING: the boot's end, below
        }
        done.add(step);
      } catch (IhkException e) {
        for (int i = done.size() - 1; i >= 0; i--) {
          if (!done.get(i).undo().isEmpty()) {
            apply(IhkCommand.parse(done.get(i).undo()));
          }
        }
        return step.line() + ": " + e.getMessage();
      }
    }
    return null;
  }

  /** One verb of the boot script (or its undo) on this node's IHK. */
  private void apply(IhkCommand c) {
    switch (c.verb()) {
      case "reserve cpu" -> ihk.reserveCpu(c.cpus());
      case "reserve mem" -> ihk.reserveMem(c.memory());
      case "release cpu" -> {
        if (c.tool().equals("ihkconfig")) {
          ihk.releaseCpu(c.cpus());
        } else {
          ihk.releaseOsCpu(c.target(), c.cpus());
        }
      }
      case "release mem" -> {
        if (c.tool().equals("ihkconfig")) {
          ihk.releaseMem(c.memory());
        } else {
          ihk.releaseOsMem(c.target(), c.memory());
        }
      }
      case "create" -> os = ihk.create();
      case "destroy" -> ihk.destroy(c.osArgument());
      case "assign cpu" -> ihk.assignCpu(c.target(), c.cpus(), c.cpuOrder());
      case "assign mem" -> ihk.assignMem(c.target(), c.memory());
      case "set ikc_map" -> ihk.setIkcMap(c.target(), c.text());
      case "load" -> ihk.load(c.target(), c.text());
      case "kargs" -> ihk.kargs(c.target(), c.text());
      case "boot" -> ihk.boot(c.target());
      default -> throw new IllegalStateException("the boot script's verb " + c.verb() + " is not one of mcreboot.sh's");
    }
  }

  private void onBootDone(SimContext ctx, BootDone b) {
    if (b.boot() != boot || phase != Phase.BOOTING) {
      return;
    }
    if (bootFails) {
      bootFails = false;
      ihk.bootFailed(os);
      check(ctx);
      lastFailure = "boot failure";
      releaseInstance();
      phase = Phase.DOWN;
      afterLwkDown(ctx);
      return;
    }
    ihk.booted(os);
    check(ctx);
    phase = Phase.RUNNING;
    Arrays.fill(lastState, null);
    ctx.send(ctx.self(), m.chaos.monitorIntervalNs(), 0, new MonitorTick(boot, ++round));
    if (job == Job.PENDING && current < 0) {
      launch(ctx);
    }
  }

  /** Destroy the (stopped) instance and release its CPUs and memory to Linux. */
  private void releaseInstance() {
    ihk.destroy(os);
    ihk.releaseCpu(cpus);
    ihk.releaseMem(m.partition.memory());
    os = -1;
  }

  private void check(SimContext ctx) {
    try {
      ihk.check();
    } catch (IllegalStateException e) {
      violated(ctx, "resources-accounted", e.getMessage());
    }
  }

  /**
   * This node broke {@code invariant} now: the first such finding is kept, with the agent's last events,
   * and the node's IHK side does nothing more, so that the run ends; the campaign reports it.
   */
  private void violated(SimContext ctx, String invariant, String message) {
    if (violation == null) {
      violation = m.violation(invariant, ctx.now(), "node " + node + ": " + message, node);
    }
  }

  /** The first invariant this node broke while the run went, or null. */
  InvariantViolation violation() {
    return violation;
  }

  // ---------------------------------------------------------------- ihkmond and faults

  /** ihkmond's check: the sites' draws, then a read of every McKernel CPU's monitor word. */
  private void onMonitorTick(SimContext ctx, MonitorTick t) {
    if (t.boot() != boot || t.round() != round || phase != Phase.RUNNING || over()) {
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
      ctx.send(proxy(currentSlot), 1, 0, new ProxyProcess.Kill());
    }
    if (fires("signal") && current >= 0) {
      terminate(ctx);
    }
    if (fires("service-crash")) {
      crashService(ctx, m.chaos.serviceRestartNs());
    }
    for (int c = 0; c < cpus.size(); c++) {
      ctx.send(cpu(c), m.messageNs, 0, new McKernelCpu.ReadMonitor(round));
    }
    ctx.send(ctx.self(), m.chaos.monitorIntervalNs(), 0, new MonitorTick(boot, ++round));
  }

  /** A CPU's monitor word: PANIC, or in the kernel twice with the same counter (HUNGUP). */
  private void onMonitorWord(SimContext ctx, int source, McKernelCpu.MonitorWord w) {
    if (!ofCurrentBoot(source) || phase != Phase.RUNNING || over()) {
      return;
    }
    if (w.state().equals("PANIC")) {
      ihk.panicked(os);
      lwkFailed(ctx, "PANIC (McKernel CPU " + w.cpu() + ")");
    } else if (w.state().equals("KERNEL") && "KERNEL".equals(lastState[w.cpu()])
        && lastCounter[w.cpu()] == w.counter()) {
      ihk.hungUp(os);
      lwkFailed(ctx, "HUNGUP (McKernel CPU " + w.cpu() + " made no progress)");
    } else {
      lastState[w.cpu()] = w.state();
      lastCounter[w.cpu()] = w.counter();
    }
  }

  private void onStrike(SimContext ctx, ChaosMachine.Strike s) {
    if (s.kind().startsWith("ikc-")) {
      // a rule on the live instance's channels to Linux, counted when it strikes a packet
      for (int c = 0; c < m.threads && phase == Phase.RUNNING; c++) {
        if (s.cpu() < 0 || s.cpu() == c) {
          ctx.send(cpu(c), 1, 0, new McKernelCpu.IkcFault(ChaosMachine.ikcRule(s)));
        }
      }
      return;
    }
    fired.merge(s.kind(), 1L, Long::sum);
    boolean up = phase == Phase.RUNNING || phase == Phase.BOOTING;
    switch (s.kind()) {
      case "boot-failure" -> bootFails = true;
      case "proxy-death" -> {
        if (current >= 0) {
          ctx.send(proxy(currentSlot), 1, 0, new ProxyProcess.Kill());
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
   * The batch system sends the job's mcexec SIGTERM (as on a job's cancellation or pre-emption): mcexec
   * relays it to its McKernel process, whose default action ends it; mcexec exits with it (143).
   */
  private void terminate(SimContext ctx) {
    ctx.send(proxy(currentSlot), 1, 0, new io.mcksim.ikc.Offload.Signal(SIGTERM));
  }

  /** The Linux service the proxy's calls go to is down for {@code outageNs}, on every Linux CPU they use. */
  private void crashService(SimContext ctx, long outageNs) {
    for (int id : m.linuxServiceEntities(node, Math.max(0, boot))) {
      ctx.send(id, 1, 0, new LinuxService.Crash(outageNs));
    }
  }

  /** Every partition of the running instance grants nothing for {@code durationNs}. */
  private void exhaust(SimContext ctx, long durationNs) {
    memoryBack = Math.max(memoryBack, VirtualTime.after(ctx.now(), durationNs));
    for (int n = 0; n < m.scenario.machine().numa().size(); n++) {
      ctx.send(m.partitionEntity(node, boot, n), 1, 0, new MemoryPartition.Exhaust(durationNs));
    }
  }

  /** The node is gone, and everything on it: its CPUs stop, and nothing more happens here. */
  private void loseNode(SimContext ctx) {
    fired.merge("node-loss", 0L, Long::sum);
    lost = true;
    job = Job.LOST;
    for (int c = 0; c < cpus.size() && boot >= 0; c++) {
      ctx.send(cpu(c), 1, 0, new McKernelCpu.Halt());
    }
  }

  /**
   * The instance failed (PANIC or HUNGUP): its CPUs are halted, the dump is taken, and the proxy is
   * killed; the shutdown follows once the proxy is reaped.
   */
  private void lwkFailed(SimContext ctx, String how) {
    check(ctx);
    lastFailure = how;
    phase = Phase.FAILING;
    for (int c = 0; c < cpus.size(); c++) {
      ctx.send(cpu(c), m.messageNs, 0, new McKernelCpu.Halt());
    }
    dumps.add(dump(ctx)); // before its resources go
    if (current >= 0 && exits.get(current) == null) {
      if (m.bug != ChaosMachine.PlantedBug.PROXY_NOT_KILLED) {
        ctx.send(proxy(currentSlot), m.messageNs, 0, new ProxyProcess.Kill());
      }
    } else {
      shutdown(ctx);
    }
  }

  private InstanceDump dump(SimContext ctx) {
    IhkNode.Instance inst = ihk.instance(os);
    List<Long> memory = new ArrayList<>();
    for (int n = 0; n < m.scenario.machine().numa().size(); n++) {
      memory.add(inst.memoryOn(n));
    }
    return new InstanceDump(node, os, 24, ctx.now(), inst.status().shown(), inst.cpus(), memory, inst.image(),
        inst.kargs(), ihk.getIkcMap(os), inst.kmsg());
  }

  private void shutdown(SimContext ctx) {
    ihk.shutdown(os);
    check(ctx);
    phase = Phase.SHUTTING;
    ctx.send(ctx.self(), Math.max(1, m.shutdownNs), 0, new ShutdownDone(boot));
  }

  /** The LWK is down and its resources back with Linux: reboot by policy, or give up. */
  private void afterLwkDown(SimContext ctx) {
    check(ctx);
    failures++;
    if (m.chaos.reboot().policy().equals("on-failure") && failures <= m.chaos.reboot().max()) {
      phase = Phase.BACKOFF;
      ctx.send(ctx.self(), Math.max(1, m.chaos.reboot().backoffNs()), 0, new Reboot(boot));
    } else if (!over()) {
      job = Job.FAILED;
    }
  }

  // ---------------------------------------------------------------- the job

  /** mcexec runs the job's next process in the next slot of the running instance. */
  private void launch(SimContext ctx) {
    if (ctx.now() < memoryBack) {
      ctx.send(ctx.self(), memoryBack - ctx.now(), 0, new Relaunch(exits.size()));
      return;
    }
    if (nextSlot >= ChaosMachine.SLOTS) {
      job = Job.FAILED; // every process slot of this boot is used up
      return;
    }
    currentSlot = nextSlot++;
    exits.add(null);
    current = exits.size() - 1;
    job = Job.RUNNING;
    ihk.hold(os);
    holding = true;
    lastFrom = from;
    Arrays.fill(checkpointOf, from);
    Arrays.fill(checkpoints, 0);
    ctx.send(proxy(currentSlot), m.messageNs, 0, new ProxyProcess.Exec(pid(currentSlot), m.job.startOf(from)));
    ctx.send(ctx.self(), m.chaos.job().timeLimitNs(), 0, new TimeLimit(current));
  }

  /** A thread of the running process wrote its checkpoint line on stdout. */
  private void onOutput(int source, ProxyProcess.Output o) {
    if (current < 0 || source != proxy(currentSlot)) {
      return;
    }
    int t = o.tid() == o.pid() ? 0 : o.tid() % 1000;
    checkpointOf[t] = lastFrom + ++checkpoints[t] * m.chaos.job().checkpointInterval();
  }

  /** mcexec exited (the process ended, or it was killed): reaped, and the job goes on by its policy. */
  private void onExited(SimContext ctx, int source, ProxyProcess.Exited e) {
    if (current < 0 || source != proxy(currentSlot) || exits.get(current) != null) {
      return;
    }
    exits.set(current, e.status());
    current = -1;
    if (holding && os >= 0) {
      ihk.unhold(os);
    }
    holding = false;
    if (phase == Phase.FAILING) {
      afterKill();
      shutdown(ctx);
      return;
    }
    if (e.status() == 0) {
      job = Job.DONE;
      return;
    }
    afterKill();
    if (job == Job.PENDING) {
      ctx.send(ctx.self(), m.messageNs, 0, new Relaunch(exits.size()));
    }
  }

  /** The job's policy, once its process is gone. */
  private void afterKill() {
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

  private int cpu(int c) {
    return m.cpuEntity(node, boot, c);
  }

  private int proxy(int slot) {
    return m.proxyEntity(node, boot, slot);
  }

  private static int pid(int slot) {
    return HybridModel.FIRST_PID + slot;
  }

  /** Whether entity {@code source} belongs to the running boot's instance. */
  private boolean ofCurrentBoot(int source) {
    return boot >= 0 && m.domainOf(source) == node && source < m.hybrid().entityCount()
        && m.hybrid().domainOf(source) == m.hybridNode(node, boot);
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

  ChaosMachine.NodeReport report() {
    return new ChaosMachine.NodeReport(node, jobState(), new ArrayList<>(exits), reboots, relaunches,
        List.copyOf(dumps), lastFailure, lastFrom, os >= 0 ? ihk.status(os).shown() : "none", resourcesProblem());
  }

  boolean lost() {
    return lost;
  }

  /** Whether an instance runs (booted, not failed nor shut down). */
  boolean instanceRunning() {
    return phase == Phase.RUNNING;
  }

  /** The boot under way or last made (-1 before the first). */
  int currentBoot() {
    return boot;
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
   * Where the resources stand at the end, or null if they are where they should be: with a running
   * instance exactly its partition, else everything back with Linux.
   */
  String resourcesProblem() {
    try {
      ihk.check();
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    if (phase == Phase.RUNNING) {
      OsStatus status = ihk.status(os);
      return status == OsStatus.RUNNING && ihk.instance(os).cpus().size() == cpus.size() ? null
          : "the instance is " + status.shown() + " with " + ihk.instance(os).cpus().size() + " CPUs";
    }
    if (os >= 0 || !ihk.osInstances().isEmpty()) {
      return "OS " + os + " still exists (" + (os >= 0 ? ihk.status(os).shown() : "?") + ") after "
          + lastFailure + "; its CPUs " + ihk.queryOsCpu(Math.max(os, 0)) + " are not back with Linux";
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
