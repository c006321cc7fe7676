package io.mcksim.ihk;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.LifecycleCosts;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The administrator of one node: runs management commands and the scripts built from them
 * ({@code mcreboot.sh}, {@code mcstop+release.sh}) against the node's IHK master, one command at a
 * time, and keeps what they print. A script that fails unwinds the steps it completed, in reverse, as
 * the real scripts do.
 *
 * <p>The jobs it is given at the start boot the node; once they have all succeeded the node is ready
 * ({@link #readyAt()}) and the operator hands it to its {@link Launcher}, which starts the node's
 * workload (runs mcexec), as a job script runs its application after {@code mcreboot.sh} has returned.
 */
public final class Operator implements SimEntity {

  /** Run {@code steps} as one job named {@code name}; {@code trace} prints each command first. */
  public record Job(String name, List<Step> steps, boolean trace) implements IhkMessage {}

  /**
   * One step of a job.
   *
   * @param kind what to do: an IHK command line, or one of the script-only steps
   * @param line the command line (for {@link Kind#COMMAND}), or the OS number (for WAIT_RUNNING)
   * @param undo the command that reverses this step if a later step fails, or empty
   */
  public record Step(Kind kind, String line, String undo) implements IhkMessage {

    public static Step command(String line) {
      return new Step(Kind.COMMAND, line, "");
    }

    public static Step command(String line, String undo) {
      return new Step(Kind.COMMAND, line, undo);
    }
  }

  /** Step kinds. */
  public enum Kind {
    /** An ihkconfig/ihkosctl command line. */
    COMMAND,
    /** Poll {@code ihkosctl OS get status} until RUNNING; fail if the instance falls back to INACTIVE. */
    WAIT_RUNNING,
    /** Destroy every existing OS instance. */
    DESTROY_ALL,
    /** Release every reserved CPU back to Linux. */
    RELEASE_ALL_CPUS,
    /** Inject a boot failure: line is {@code OS INDEX}. */
    INJECT_BOOT_FAILURE
  }

  /**
   * What the operator runs once the jobs it started with have all succeeded: the node's workload. It
   * runs in the operator's turn and may send messages from it.
   */
  @FunctionalInterface
  public interface Launcher {
    void launch(SimContext ctx);

    /** No workload: the node is only booted. */
    Launcher NONE = ctx -> { };
  }

  /** One OS instance as {@code mcreboot.sh} sets it up: its CPUs (-c), memory (-m) and IKC map (-r). */
  public record Instance(String cpus, String mem, String ikcMap) {}

  /** A line the operator's console printed, at a virtual time. */
  public record ConsoleLine(long time, String text, boolean error) {}

  private record Poll(long id) implements IhkMessage {}

  /** How often a script polls an instance's status while waiting for it to run. */
  public static final long POLL_INTERVAL = 1_000_000;

  private final int node;
  private final NodeLayout layout;
  private final LifecycleCosts costs;
  private final List<Job> initialJobs;
  private final Launcher launcher;
  /** Jobs given at the start that have not finished yet. */
  private int initialLeft;
  private long readyAt = -1;

  private final Deque<Job> jobs = new ArrayDeque<>();
  private Job job;
  private final Deque<Step> pending = new ArrayDeque<>();
  private final Deque<String> undo = new ArrayDeque<>();
  private boolean unwinding;
  private Step current;
  private long nextId;
  private long waitingFor = -1;
  private final List<ConsoleLine> console = new ArrayList<>();
  private int failedJobs;
  private int finishedJobs;

  /** An operator that starts with {@code initialJobs} and launches nothing after them. */
  public Operator(int node, NodeLayout layout, LifecycleCosts costs, List<Job> initialJobs) {
    this(node, layout, costs, initialJobs, Launcher.NONE);
  }

  /** @param launcher what runs once {@code initialJobs} have all succeeded */
  public Operator(int node, NodeLayout layout, LifecycleCosts costs, List<Job> initialJobs,
      Launcher launcher) {
    this.node = node;
    this.layout = layout;
    this.costs = costs;
    this.initialJobs = List.copyOf(initialJobs);
    this.launcher = launcher;
  }

  @Override
  public void start(SimContext ctx) {
    jobs.addAll(initialJobs);
    initialLeft = initialJobs.size();
    if (initialLeft == 0) {
      ready(ctx);
    }
    next(ctx);
  }

  /** The initial jobs are over: if none failed, the node is ready and its workload starts. */
  private void ready(SimContext ctx) {
    if (failedJobs == 0) {
      readyAt = ctx.now();
      launcher.launch(ctx);
    }
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Job j) {
      jobs.add(j);
      if (job == null) {
        next(ctx);
      }
    } else if (payload instanceof IhkMaster.Reply r) {
      if (r.id() != waitingFor) {
        return;
      }
      waitingFor = -1;
      onReply(ctx, r);
    } else if (payload instanceof Poll p) {
      if (p.id() == nextId && current != null && current.kind() == Kind.WAIT_RUNNING) {
        request(ctx, "ihkosctl " + current.line() + " get status");
      }
    } else {
      throw new IllegalArgumentException("operator of node " + node + " got an unknown message "
          + payload);
    }
  }

  private void onReply(SimContext ctx, IhkMaster.Reply r) {
    Step step = current;
    if (step.kind() == Kind.WAIT_RUNNING && r.ok()) {
      switch (r.output()) {
        case "RUNNING" -> advance(ctx);
        case "BOOTING" -> ctx.send(ctx.self(), POLL_INTERVAL, 0, new Poll(nextId));
        default -> fail(ctx, "OS " + step.line() + " did not boot: status " + r.output()
            + " (see ihkosctl " + step.line() + " kmsg)");
      }
      return;
    }
    if (!r.ok()) {
      print(ctx, r.output(), true);
      fail(ctx, null);
      return;
    }
    if (step.kind() == Kind.DESTROY_ALL) {
      List<String> existing = lines(r.output());
      for (int i = existing.size() - 1; i >= 0; i--) {
        pending.addFirst(Step.command("ihkconfig 0 destroy " + existing.get(i)));
      }
    } else if (step.kind() == Kind.RELEASE_ALL_CPUS) {
      if (!r.output().isBlank()) {
        pending.addFirst(Step.command("ihkconfig 0 release cpu " + r.output().trim()));
      }
    } else if (!r.output().isEmpty()) {
      print(ctx, r.output(), false);
    }
    if (!unwinding && !step.undo().isEmpty()) {
      undo.push(step.undo());
    }
    advance(ctx);
  }

  private void advance(SimContext ctx) {
    current = null;
    runNextStep(ctx);
  }

  private void fail(SimContext ctx, String why) {
    if (why != null) {
      print(ctx, job.name() + ": " + why, true);
    }
    if (unwinding) {
      // a failing undo step: report and go on unwinding the rest
      current = null;
      runNextStep(ctx);
      return;
    }
    failedJobs++;
    if (!undo.isEmpty()) {
      print(ctx, job.name() + ": failed; undoing " + undo.size() + " completed step"
          + (undo.size() == 1 ? "" : "s"), true);
    }
    unwinding = true;
    pending.clear();
    while (!undo.isEmpty()) {
      pending.add(Step.command(undo.pop()));
    }
    current = null;
    runNextStep(ctx);
  }

  private void next(SimContext ctx) {
    job = jobs.poll();
    if (job == null) {
      return;
    }
    pending.clear();
    pending.addAll(job.steps());
    undo.clear();
    unwinding = false;
    runNextStep(ctx);
  }

  private void runNextStep(SimContext ctx) {
    current = pending.poll();
    if (current == null) {
      finishedJobs++;
      job = null;
      if (initialLeft > 0 && --initialLeft == 0) {
        ready(ctx);
      }
      next(ctx);
      return;
    }
    switch (current.kind()) {
      case COMMAND -> {
        if (job.trace()) {
          print(ctx, "+ " + current.line(), false);
        }
        request(ctx, current.line());
      }
      case WAIT_RUNNING -> request(ctx, "ihkosctl " + current.line() + " get status");
      case DESTROY_ALL -> request(ctx, "ihkconfig 0 get os_instances");
      case RELEASE_ALL_CPUS -> request(ctx, "ihkconfig 0 query cpu");
      case INJECT_BOOT_FAILURE -> {
        String[] w = current.line().trim().split("\\s+");
        nextId++;
        waitingFor = nextId;
        ctx.send(layout.master(node), costs.message(), 0, new IhkMaster.InjectBootFailure(nextId,
            Integer.parseInt(w[0]), Integer.parseInt(w[1]), ctx.self()));
      }
      default -> throw new IllegalStateException(current.kind().toString());
    }
  }

  private void request(SimContext ctx, String line) {
    IhkCommand command;
    try {
      command = IhkCommand.parse(line);
    } catch (IhkException e) {
      print(ctx, "error: " + e.toolMessage(), true);
      fail(ctx, null);
      return;
    }
    nextId++;
    waitingFor = nextId;
    ctx.send(layout.master(node), costs.message(), 0, new IhkMaster.Request(nextId, command, ctx.self()));
  }

  private void print(SimContext ctx, String text, boolean error) {
    for (String line : lines(text)) {
      console.add(new ConsoleLine(ctx.now(), line, error));
    }
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
  }

  /** Whether every job given so far has finished. Read only while the run is not advancing. */
  public boolean idle() {
    return job == null && jobs.isEmpty();
  }

  /** Jobs that failed (and were unwound) so far. */
  public int failedJobs() {
    return failedJobs;
  }

  public int finishedJobs() {
    return finishedJobs;
  }

  /**
   * When the jobs the operator started with had all succeeded and its workload was launched, in
   * virtual ns; -1 before that, or for ever if one failed.
   */
  public long readyAt() {
    return readyAt;
  }

  /** Takes the console lines printed since the last call. */
  public List<ConsoleLine> drainConsole() {
    List<ConsoleLine> out = List.copyOf(console);
    console.clear();
    return out;
  }

  /** The steps of {@code mcreboot.sh -c CPUS -m MEM [-r IKC_MAP] [-k KARGS]} for OS 0. */
  public static Job mcreboot(String cpus, String mem, String ikcMap, String image, String kargs) {
    return mcreboot(List.of(new Instance(cpus, mem, ikcMap)), image, kargs);
  }

  /**
   * The steps of {@code mcreboot.sh} for OS instances 0, 1, ... in its order: reserve each instance's
   * memory, then its CPUs; destroy every existing instance; then create each instance, assign its CPUs,
   * set its IKC map, assign its memory, load the image, set the kernel arguments, boot it and wait until
   * it runs. A failing step undoes the completed ones in reverse.
   */
  public static Job mcreboot(List<Instance> instances, String image, String kargs) {
    List<Step> s = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Instance inst : instances) {
      s.add(Step.command("ihkconfig 0 reserve mem " + inst.mem(), "ihkconfig 0 release mem " + inst.mem()));
      s.add(Step.command("ihkconfig 0 reserve cpu " + inst.cpus(), "ihkconfig 0 release cpu "
          + inst.cpus()));
      names.add(String.format(Locale.ROOT, " -c %s -m %s", inst.cpus(), inst.mem()));
    }
    s.add(new Step(Kind.DESTROY_ALL, "", ""));
    for (int os = 0; os < instances.size(); os++) {
      Instance inst = instances.get(os);
      s.addAll(instanceSteps(os, inst.cpus(), inst.mem(), inst.ikcMap(), image, kargs));
    }
    return new Job("mcreboot.sh" + String.join(";", names), s, false);
  }

  /** Create, assign, load, kargs, boot and wait for OS {@code os}, each with its undo. */
  public static List<Step> instanceSteps(int os, String cpus, String mem, String ikcMap, String image,
      String kargs) {
    List<Step> s = new ArrayList<>();
    s.add(Step.command("ihkconfig 0 create", "ihkconfig 0 destroy " + os));
    s.add(Step.command("ihkosctl " + os + " assign cpu " + cpus, "ihkosctl " + os + " release cpu "
        + cpus));
    if (!ikcMap.isBlank()) {
      s.add(Step.command("ihkosctl " + os + " set ikc_map " + ikcMap));
    }
    s.add(Step.command("ihkosctl " + os + " assign mem " + mem, "ihkosctl " + os + " release mem "
        + mem));
    s.add(Step.command("ihkosctl " + os + " load " + image));
    s.add(Step.command("ihkosctl " + os + " kargs \"" + kargs + "\""));
    // no undo for boot: destroying the instance shuts it down by force
    s.add(Step.command("ihkosctl " + os + " boot"));
    s.add(new Step(Kind.WAIT_RUNNING, Integer.toString(os), ""));
    return s;
  }

  /** The steps of {@code mcstop+release.sh}: destroy every instance, release every CPU and all memory. */
  public static Job mcstopRelease() {
    return new Job("mcstop+release.sh", List.of(
        new Step(Kind.DESTROY_ALL, "", ""),
        new Step(Kind.RELEASE_ALL_CPUS, "", ""),
        Step.command("ihkconfig 0 release mem all")), false);
  }
}
