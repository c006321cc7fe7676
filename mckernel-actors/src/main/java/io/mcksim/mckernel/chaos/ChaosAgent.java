package io.mcksim.mckernel.chaos;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.config.CpuList;
import io.mcksim.ihk.IhkException;
import io.mcksim.ihk.IhkNode;
import io.mcksim.ihk.InstanceDump;
import io.mcksim.ihk.OsStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A node's IHK side and its job manager: it boots McKernel with IHK's own verbs (reserve, create,
 * assign, load, kargs, boot), runs ihkmond's hang monitor, launches the job's process (its proxy with
 * mcexec, then its threads), and recovers from faults through the real paths.
 *
 * <p>An LWK failure (a panic's status notice, a hang the monitor finds, a failed boot): the instance
 * shows PANIC or HUNGUP, its CPUs stop, the dump is taken, mcctrl tells the proxy, the proxy is killed
 * and the McKernel process ends with a signal exit status; then shutdown, destroy and release give the
 * resources back to Linux, and IHK reboots by policy after a backoff in virtual time. A process killed
 * while its LWK is healthy (its proxy died, an allocation failed, its time limit) ends the same way
 * without touching the LWK. Either way the job then follows its policy: fail, requeue, or restart from
 * its last checkpoint. IHK's resource invariant is checked after every verb.
 */
final class ChaosAgent extends ChaosPart {

  /** Exit status of a process killed by SIGKILL (128 + 9). */
  static final int KILLED = 137;
  /** Exit status of a process that aborted (128 + SIGABRT). */
  static final int ABORTED = 134;

  private enum Phase { DOWN, BOOTING, RUNNING, FAILING, SHUTTING, BACKOFF }

  private enum Job { PENDING, RUNNING, DONE, FAILED, LOST }

  private final List<Msg.Strike> strikes;
  private final IhkNode ihk;
  private final CpuList cpus;
  private int os = -1;
  private long generation;
  private Phase phase = Phase.DOWN;
  private Job job = Job.PENDING;
  /** The boot under way (or the next one) fails. */
  private boolean bootFails;
  /** The iteration the last launch started from. */
  private int lastFrom;
  private int failures;
  long reboots;
  long relaunches;
  /** The dumps taken of failed instances (ihkosctl dump, level 24: what the kernel uses). */
  final List<InstanceDump> dumps = new ArrayList<>();
  /** Every launched process and its exit status (null while it runs). */
  private final Map<Integer, Integer> launches = new LinkedHashMap<>();
  private int pid;
  private int nextPid = 1000;
  private boolean holding;
  private int from;
  private int[] checkpointOf;
  private int threadsDone;
  private long memoryBack;
  private boolean[] beat;
  private String lastFailure = "";

  ChaosAgent(ChaosMachine m, int node, SplittableRandom random, List<Msg.Strike> strikes) {
    super(m, node, random);
    this.strikes = List.copyOf(strikes);
    this.ihk = new IhkNode(m.scenario.machine(), m.scenario.os().maxInstances());
    this.cpus = m.partition.cpus();
    this.checkpointOf = new int[m.threads];
    this.beat = new boolean[m.threads];
  }

  @Override
  public void start(SimContext ctx) {
    for (Msg.Strike s : strikes) {
      ctx.send(ctx.self(), s.atNs(), 0, s);
    }
    boot(ctx);
  }

  @Override
  void handle(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Msg.Strike s) {
      onStrike(ctx, s);
    } else if (payload instanceof Msg.BootDone b) {
      onBootDone(ctx, b);
    } else if (payload instanceof Msg.Heartbeat h) {
      if (h.generation() == generation) {
        beat[h.cpu()] = true;
      }
    } else if (payload instanceof Msg.MonitorTick t) {
      onMonitorTick(ctx, t);
    } else if (payload instanceof Msg.PanicNotice p) {
      if (p.generation() == generation && (phase == Phase.RUNNING || phase == Phase.BOOTING)) {
        ihk.panicked(os);
        lwkFailed(ctx, "PANIC (McKernel CPU " + p.cpu() + ")");
      }
    } else if (payload instanceof Msg.Checkpointed c) {
      if (c.pid() == pid) {
        checkpointOf[c.cpu()] = c.iteration();
      }
    } else if (payload instanceof Msg.ThreadDone d) {
      if (d.pid() == pid && ++threadsDone == m.threads) {
        ctx.send(m.linux(node), m.messageNs, 0, new Msg.Exited(pid));
      }
    } else if (payload instanceof Msg.ThreadAborted a) {
      if (a.pid() == pid && launches.get(pid) == null) {
        memoryBack = Math.max(memoryBack, a.memoryBackNs());
        killProcess(ctx, ABORTED);
      }
    } else if (payload instanceof Msg.TimeLimit t) {
      if (t.pid() == pid && launches.get(pid) == null && phase == Phase.RUNNING) {
        killProcess(ctx, KILLED);
      }
    } else if (payload instanceof Msg.ProxyExited e) {
      onProxyExited(ctx, e);
    } else if (payload instanceof Msg.ShutdownDone d) {
      if (d.generation() == generation && phase == Phase.SHUTTING) {
        ihk.shutdownDone(os);
        if (m.bug != ChaosMachine.PlantedBug.RESOURCES_NOT_RELEASED) {
          releaseInstance();
        }
        phase = Phase.DOWN;
        afterLwkDown(ctx);
      }
    } else if (payload instanceof Msg.Reboot r) {
      if (r.generation() == generation && phase == Phase.BACKOFF) {
        reboots++;
        boot(ctx);
      }
    } else if (payload instanceof Msg.Relaunch r) {
      if (job == Job.PENDING && phase == Phase.RUNNING && pid == 0) {
        launch(ctx);
      }
    } else {
      throw unexpected(payload);
    }
  }

  // ---------------------------------------------------------------- IHK: boot and shutdown

  /** mcreboot.sh's verbs, then the boot, which takes the lifecycle's boot time. */
  private void boot(SimContext ctx) {
    try {
      ihk.reserveCpu(cpus);
      ihk.reserveMem(m.partition.memory());
      os = ihk.create();
      List<Integer> order = new ArrayList<>();
      for (int c : cpus.toArray()) {
        order.add(c);
      }
      ihk.assignCpu(os, cpus, order);
      ihk.assignMem(os, m.partition.memory());
      ihk.load(os, m.scenario.os().image());
      ihk.kargs(os, m.scenario.os().kargs());
      ihk.boot(os);
    } catch (IhkException e) {
      // the partition's resources should all be back with Linux before a boot
      throw m.violation("resources-accounted", ctx.now(), "node " + node + ": IHK refused the boot's verbs: "
          + e.getMessage(), ctx.self());
    }
    check(ctx);
    generation++;
    phase = Phase.BOOTING;
    if (m.fires("boot-failure", random)) {
      m.fired("boot-failure");
      bootFails = true;
    }
    ctx.send(ctx.self(), Math.max(1, m.bootNs), 0, new Msg.BootDone(generation, true));
  }

  private void onBootDone(SimContext ctx, Msg.BootDone b) {
    if (b.generation() != generation || phase != Phase.BOOTING) {
      return;
    }
    if (bootFails) {
      bootFails = false;
      ihk.bootFailed(os);
      check(ctx);
      lastFailure = "boot failure";
      releaseInstance();
      phase = Phase.DOWN;
      generation++;
      afterLwkDown(ctx);
      return;
    }
    ihk.booted(os);
    check(ctx);
    phase = Phase.RUNNING;
    java.util.Arrays.fill(beat, false);
    for (int c = 0; c < m.threads; c++) {
      ctx.send(m.lwk(node, c), m.messageNs, 0, new Msg.Booted(generation));
    }
    ctx.send(m.linux(node), m.messageNs, 0, new Msg.Booted(generation)); // mcctrl's channels to the new instance
    // ihkmond checks between heartbeats: half an interval out of phase with them
    long interval = m.chaos.monitorIntervalNs();
    ctx.send(ctx.self(), interval + Math.max(1, interval / 2) + m.messageNs, 0, new Msg.MonitorTick(generation));
    if (job == Job.PENDING && pid == 0) {
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
      throw m.violation("resources-accounted", ctx.now(), "node " + node + ": " + e.getMessage(), ctx.self());
    }
  }

  // ---------------------------------------------------------------- ihkmond and faults

  private void onMonitorTick(SimContext ctx, Msg.MonitorTick t) {
    if (t.generation() != generation || phase != Phase.RUNNING || over()) {
      return;
    }
    if (m.fires("node-loss", random)) {
      m.fired("node-loss");
      loseNode(ctx);
      return;
    }
    for (int c = 0; c < m.threads; c++) {
      if (!beat[c]) {
        ihk.hungUp(os);
        lwkFailed(ctx, "HUNGUP (McKernel CPU " + c + " made no progress)");
        return;
      }
    }
    java.util.Arrays.fill(beat, false);
    ctx.send(ctx.self(), m.chaos.monitorIntervalNs(), 0, new Msg.MonitorTick(generation));
  }

  private void onStrike(SimContext ctx, Msg.Strike s) {
    if (s.kind().startsWith("ikc-")) {
      return; // already a fault rule of the channels it strikes, counted when it strikes a packet
    }
    m.fired(s.kind());
    switch (s.kind()) {
      case "boot-failure" -> bootFails = true;
      case "proxy-death" -> ctx.send(m.linux(node), 1, 0, new Msg.Inject(s.kind(), s.durationNs()));
      case "service-crash" -> ctx.send(m.service(node), 1, 0, new Msg.Inject(s.kind(), s.durationNs()));
      case "node-loss" -> loseNode(ctx);
      default -> {
        for (int c = 0; c < m.threads; c++) {
          if (s.cpu() < 0 || s.cpu() == c) {
            ctx.send(m.lwk(node, c), 1, 0, new Msg.Inject(s.kind(), s.durationNs()));
          }
        }
      }
    }
  }

  /** The node is gone, and everything on it. */
  private void loseNode(SimContext ctx) {
    lost = true;
    job = Job.LOST;
    for (int id = m.agent(node) + 1; id < m.agent(node) + m.perNode; id++) {
      ctx.send(id, 1, 0, new Msg.Lose());
    }
  }

  /**
   * The instance failed (PANIC or HUNGUP): its CPUs stop, the dump is taken, mcctrl tells the proxy,
   * and the proxy is killed; the shutdown follows once the process has its exit status.
   */
  private void lwkFailed(SimContext ctx, String how) {
    check(ctx);
    lastFailure = how;
    generation++;
    phase = Phase.FAILING;
    for (int c = 0; c < m.threads; c++) {
      ctx.send(m.lwk(node, c), m.messageNs, 0, new Msg.Halt(generation));
    }
    dumps.add(dump(ctx)); // before its resources go
    ctx.send(m.linux(node), m.messageNs, 0, new Msg.InstanceDown());
    if (pid != 0 && launches.get(pid) == null) {
      if (m.bug != ChaosMachine.PlantedBug.PROXY_NOT_KILLED) {
        ctx.send(m.linux(node), m.messageNs, 0, new Msg.Kill(pid, KILLED));
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
    ctx.send(ctx.self(), Math.max(1, m.shutdownNs), 0, new Msg.ShutdownDone(generation));
  }

  /** The LWK is down and its resources back with Linux: reboot by policy, or give up. */
  private void afterLwkDown(SimContext ctx) {
    check(ctx);
    failures++;
    if (m.chaos.reboot().policy().equals("on-failure") && failures <= m.chaos.reboot().max()) {
      phase = Phase.BACKOFF;
      ctx.send(ctx.self(), Math.max(1, m.chaos.reboot().backoffNs()), 0, new Msg.Reboot(generation));
    } else if (!over()) {
      end(ctx, Job.FAILED);
    }
  }

  // ---------------------------------------------------------------- the job

  private void launch(SimContext ctx) {
    if (ctx.now() < memoryBack) {
      ctx.send(ctx.self(), memoryBack - ctx.now(), 0, new Msg.Relaunch(launches.size()));
      return;
    }
    pid = nextPid++;
    launches.put(pid, null);
    job = Job.RUNNING;
    ihk.hold(os);
    holding = true;
    threadsDone = 0;
    lastFrom = from;
    java.util.Arrays.fill(checkpointOf, from);
    ctx.send(m.linux(node), m.messageNs, 0, new Msg.Launch(pid));
    for (int c = 0; c < m.threads; c++) {
      ctx.send(m.lwk(node, c), m.messageNs + 1, 0, new Msg.Run(pid, from));
    }
    ctx.send(ctx.self(), m.chaos.job().timeLimitNs(), 0, new Msg.TimeLimit(pid));
  }

  /** The process dies while its LWK is healthy: its threads end, and its proxy is killed. */
  private void killProcess(SimContext ctx, int status) {
    for (int c = 0; c < m.threads; c++) {
      ctx.send(m.lwk(node, c), m.messageNs, 0, new Msg.Stop(pid));
    }
    ctx.send(m.linux(node), m.messageNs, 0, new Msg.Kill(pid, status));
  }

  private void onProxyExited(SimContext ctx, Msg.ProxyExited e) {
    if (!launches.containsKey(e.pid()) || launches.get(e.pid()) != null) {
      return;
    }
    launches.put(e.pid(), e.status());
    if (holding && os >= 0) {
      ihk.unhold(os);
    }
    holding = false;
    if (e.pid() != pid) {
      return;
    }
    pid = 0;
    if (phase == Phase.FAILING) {
      afterKill(ctx);
      shutdown(ctx);
      return;
    }
    if (e.status() == 0) {
      end(ctx, Job.DONE);
      return;
    }
    // the proxy died (or was killed) while the LWK runs: McKernel kills the process, whose offloads
    // return -ERESTARTSYS
    for (int c = 0; c < m.threads; c++) {
      ctx.send(m.lwk(node, c), m.messageNs, 0, new Msg.Stop(e.pid()));
    }
    afterKill(ctx);
    if (job == Job.PENDING) {
      ctx.send(ctx.self(), m.messageNs, 0, new Msg.Relaunch(launches.size()));
    }
  }

  /** The job's policy, once its process is gone. */
  private void afterKill(SimContext ctx) {
    switch (m.chaos.job().policy()) {
      case "fail" -> end(ctx, Job.FAILED);
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

  /** The job is over on this node: periodic work stops so that the run can end. */
  private void end(SimContext ctx, Job outcome) {
    job = outcome;
    for (int c = 0; c < m.threads; c++) {
      ctx.send(m.lwk(node, c), m.messageNs, 0, new Msg.Quiesce());
    }
    ctx.send(m.linux(node), m.messageNs, 0, new Msg.Quiesce());
  }

  // ---------------------------------------------------------------- what the checkers read

  ChaosMachine.NodeReport report() {
    return new ChaosMachine.NodeReport(node, jobState(), new LinkedHashMap<>(launches), reboots, relaunches,
        List.copyOf(dumps),
        lastFailure, lastFrom, os >= 0 ? ihk.status(os).shown() : "none", resourcesProblem());
  }

  boolean lost() {
    return lost;
  }

  boolean over() {
    return job == Job.DONE || job == Job.FAILED || job == Job.LOST;
  }

  int launched() {
    return launches.size();
  }

  String jobState() {
    return job.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** A launched process without an exit status, or null. */
  Integer processWithoutExitStatus() {
    for (Map.Entry<Integer, Integer> e : launches.entrySet()) {
      if (e.getValue() == null) {
        return e.getKey();
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
