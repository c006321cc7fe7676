package io.mcksim.ihk;

import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.LifecycleCosts;
import io.mcksim.config.MachineSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IHK master of one node: Linux's side of IHK (the {@code ihk} core and {@code ihk-smp} driver).
 * It owns the node's {@link IhkNode} (reservation, OS-instance registry and status), answers the
 * {@code ihkconfig}/{@code ihkosctl} commands, and drives boot, shutdown and freeze through the
 * instance's own actor, which brings up its CPUs and memory partitions in virtual time.
 *
 * <p>The resource-accounting checker runs after every request and every report; a violation is a
 * model bug and stops the run, as does a status step the driver cannot take ({@link IhkNode.IllegalStep}).
 * A chaos campaign has such IHK errors recorded instead ({@link #withErrorsAsOutcomes}): the run goes on,
 * and the entity told of status changes hears of each ({@link IhkError}).
 */
public final class IhkMaster implements SimEntity {

  /** A management command from {@code replyTo}; answered with a {@link Reply} carrying {@code id}. */
  public record Request(long id, IhkCommand command, int replyTo) implements IhkMessage {}

  /** The answer: {@code errno} 0 on success, else the tool's error number; {@code output} as printed. */
  public record Reply(long id, int errno, String output) implements IhkMessage {
    public boolean ok() {
      return errno == 0;
    }
  }

  /**
   * Fault injection: McKernel CPU {@code index} of whatever instance next boots in OS slot {@code os}
   * fails to come up; answered like a request.
   */
  public record InjectBootFailure(long id, int os, int index, int replyTo) implements IhkMessage {}

  /** An OS instance's kernel message. */
  public record Kmsg(int os, String line) implements IhkMessage {}

  /** An instance's boot finished (RUNNING) or failed (back to INACTIVE, with the reason in kmsg). */
  public record BootResult(int os, long generation, boolean ok) implements IhkMessage {}

  /** An instance has stopped all its CPUs after a shutdown. */
  public record ShutdownDone(int os, long generation) implements IhkMessage {}

  /** An instance has stopped all its CPUs for a freeze. */
  public record Frozen(int os, long generation) implements IhkMessage {}

  /**
   * ihkmond's report: the monitor word of McKernel CPU {@code index} of OS {@code os} stays in the kernel
   * with a counter that no longer moves. A RUNNING instance is told it hung ({@link OsInstance.Hung}),
   * and fails HUNGUP.
   */
  public record HangFound(int os, int index) implements IhkMessage {}

  /**
   * To the entity that follows the instances' status (ihkmond, through IHK's status event descriptor; see
   * {@link #withStatusEvents}): OS {@code os} took status {@code status} (as {@code ihkosctl} shows it,
   * or {@code DESTROYED}); {@code cause} is the reason of a failure (PANIC, HUNGUP, a failed boot), as
   * kmsg has it, or empty.
   */
  public record StatusChanged(int os, String status, String cause) implements IhkMessage {}

  /**
   * To the entity that follows the instances' status: IHK went wrong (see {@link #withErrorsAsOutcomes}):
   * {@code kind} is {@code illegal-step} (a status step the driver cannot take, refused: the status stays)
   * or {@code books} (a CPU or byte is not exactly one of Linux's, reserved or one instance's).
   */
  public record IhkError(int os, String kind, String message) implements IhkMessage {}

  /** The reboot policy's restart of a failed instance is due: boot it again, in place. */
  private record RebootDue(int os, long generation) implements IhkMessage {}

  private final int node;
  private final NodeLayout layout;
  private final LifecycleCosts costs;
  private final IhkNode ihk;
  /** Incremented whenever an instance's boot, shutdown or freeze is started or abandoned. */
  private final long[] generation;
  /** Per OS slot: the McKernel CPU index that fails to come up at the slot's next boot, or -1. */
  private final int[] failCpuAtNextBoot;
  /** Virtual time each instance last became RUNNING, or -1. */
  private final long[] runningSince;
  /** Per OS slot: whether its instance entity is dead (failed, and not restarted by the reboot policy). */
  private final boolean[] dead;
  /** Instances that failed (PANIC or HUNGUP), and those the reboot policy restarted. */
  private long failures;
  private long reboots;
  private final List<String> transitions = new ArrayList<>();
  /** Where {@code ihkosctl OS dump} writes, or null: no dump files. */
  private final Path dumpFolder;
  /** The entity told of every status change ({@link StatusChanged}), or -1. */
  private int statusEvents = -1;
  /** Whether IHK errors are recorded and the run goes on ({@link #withErrorsAsOutcomes}). */
  private boolean errorsAsOutcomes;
  private long errors;
  private String firstError;
  /** A planted bug, switched on by {@link #plantRestartWithoutShutdown} only. */
  private boolean plantedRestartWithoutShutdown;

  /** @param dumpFolder the folder dumps are written into (see {@link DumpFile#resolve}), or null for none */
  public IhkMaster(int node, NodeLayout layout, MachineSettings machine, int maxInstances,
      LifecycleCosts costs, Path dumpFolder) {
    this.node = node;
    this.dumpFolder = dumpFolder;
    this.layout = layout;
    this.costs = costs;
    this.ihk = new IhkNode(machine, maxInstances);
    this.generation = new long[maxInstances];
    this.runningSince = new long[maxInstances];
    java.util.Arrays.fill(runningSince, -1);
    this.dead = new boolean[maxInstances];
    this.failCpuAtNextBoot = new int[maxInstances];
    java.util.Arrays.fill(failCpuAtNextBoot, -1);
  }

  /**
   * Tells {@code entity} of every status change of every instance ({@link StatusChanged}, one management
   * message later), as IHK's status event descriptor tells ihkmond. Call before the run.
   */
  public IhkMaster withStatusEvents(int entity) {
    this.statusEvents = entity;
    return this;
  }

  /**
   * IHK errors (an illegal status step, wrong books) do not stop the run: each is recorded, the entity
   * given by {@link #withStatusEvents} is told ({@link IhkError}, one management message later), and the
   * run goes on; a verb that met one fails with EINVAL, as a refused verb does. Call before the run.
   */
  public IhkMaster withErrorsAsOutcomes() {
    this.errorsAsOutcomes = true;
    return this;
  }

  /**
   * Plants a bug (chaos tests only): the reboot policy restarts a failed instance without shutting it down
   * first, so the restart asks IHK for a step its driver cannot take (PANIC or HUNGUP straight to INACTIVE).
   */
  public IhkMaster plantRestartWithoutShutdown() {
    this.plantedRestartWithoutShutdown = true;
    return this;
  }

  /** IHK errors recorded ({@link #withErrorsAsOutcomes}). */
  public long errors() {
    return errors;
  }

  /** The first IHK error recorded, as {@code "<ns> <kind>: <message>"}, or null. */
  public String firstError() {
    return firstError;
  }

  /** An IHK error: stops the run, or, recorded, is told and the run goes on. */
  private void error(SimContext ctx, int os, IllegalStateException e) {
    if (!errorsAsOutcomes) {
      throw e;
    }
    String kind = e instanceof IhkNode.IllegalStep ? "illegal-step" : "books";
    errors++;
    if (firstError == null) {
      firstError = ctx.now() + " " + kind + ": " + e.getMessage();
    }
    if (statusEvents >= 0) {
      ctx.send(statusEvents, costs.message(), 0, new IhkError(os, kind, e.getMessage()));
    }
  }

  /** The node's IHK state, for reports and tests (read it only when the run is not advancing). */
  public IhkNode ihk() {
    return ihk;
  }

  /** When OS {@code os} last became RUNNING, in virtual ns, or -1. */
  public long runningSince(int os) {
    return runningSince[os];
  }

  /** Every status change, as {@code "<ns> OS <k> <STATE>"}, in order. */
  public List<String> transitions() {
    return List.copyOf(transitions);
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    try {
      handle(ctx, payload);
      ihk.check();
    } catch (IllegalStateException e) {
      error(ctx, -1, e);
    }
  }

  private void handle(SimContext ctx, Object payload) {
    if (payload instanceof Request r) {
      onRequest(ctx, r);
    } else if (payload instanceof InjectBootFailure f) {
      int errno = 0;
      String output = "";
      if (f.os() < 0 || f.os() >= failCpuAtNextBoot.length || f.index() < 0) {
        errno = Errno.EINVAL.number();
        output = "error: inject: OS slot " + f.os() + " / CPU index " + f.index() + " out of range (slots"
            + " 0-" + (failCpuAtNextBoot.length - 1) + ")";
      } else {
        failCpuAtNextBoot[f.os()] = f.index();
      }
      ctx.send(f.replyTo(), costs.message(), errno, new Reply(f.id(), errno, output));
    } else if (payload instanceof Kmsg k) {
      ihk.appendKmsg(k.os(), k.line());
    } else if (payload instanceof BootResult b) {
      if (b.generation() == generation[b.os()] && exists(b.os())) {
        if (b.ok()) {
          ihk.booted(b.os());
          runningSince[b.os()] = ctx.now();
        } else {
          ihk.bootFailed(b.os());
        }
        noteStatus(ctx, b.os());
      }
    } else if (payload instanceof ShutdownDone s) {
      if (s.generation() == generation[s.os()] && exists(s.os())) {
        ihk.shutdownDone(s.os());
        noteStatus(ctx, s.os());
      }
    } else if (payload instanceof HangFound h) {
      if (exists(h.os()) && ihk.status(h.os()) == OsStatus.RUNNING && !dead[h.os()]) {
        ctx.send(layout.instance(node, h.os()), costs.message(), 0, new OsInstance.Hung(h.index()));
      }
    } else if (payload instanceof RebootDue d) {
      if (d.generation() == generation[d.os()] && exists(d.os())) {
        ihk.restarted(d.os());
        noteStatus(ctx, d.os());
        reboots++;
        boot(ctx, d.os());
      }
    } else if (payload instanceof Frozen f) {
      if (f.generation() == generation[f.os()] && exists(f.os())) {
        ihk.frozen(f.os());
        noteStatus(ctx, f.os());
      }
    } else {
      throw new IllegalArgumentException("IHK master of node " + node + " got an unknown message "
          + payload);
    }
  }

  /**
   * The supervisor's side of an OS instance's failure (the engine's supervision: a CPU's panic escalated
   * by the instance, or a hang ihkmond found): the instance is PANIC or HUNGUP, as IHK shows it. If the
   * reboot policy (this master's strategy) restarts it, IHK shuts it down now (its CPUs are stopped with
   * it) and, when the restart is due (the backoff, then one management message for the fresh instance
   * to be up), boots it again in place with the same CPUs, memory, image and arguments; otherwise it
   * stays failed until the administrator shuts it down or destroys it. An instance that fails while
   * IHK shuts it down is shut down: INACTIVE, its resources back in the reserved pool, no reboot.
   */
  @Override
  public void onSignal(SimContext ctx, io.mcksim.actors.engine.Signal signal) {
    if (!(signal instanceof io.mcksim.actors.engine.Signal.ChildFailed f)) {
      return;
    }
    try {
      childFailed(ctx, f);
    } catch (IllegalStateException e) {
      error(ctx, osOf(f.child()), e);
    }
  }

  private void childFailed(SimContext ctx, io.mcksim.actors.engine.Signal.ChildFailed f) {
    int os = osOf(f.child());
    if (os < 0 || !exists(os)) {
      return;
    }
    failures++;
    dead[os] = true;
    generation[os]++;
    runningSince[os] = -1;
    ihk.appendKmsg(os, f.cause());
    if (ihk.status(os) == OsStatus.SHUTDOWN) {
      // it failed while IHK shut it down: its CPUs are stopped, so the shutdown is done; no reboot
      ihk.shutdownDone(os);
      noteStatus(ctx, os);
      dead[os] = !(f.directive() instanceof io.mcksim.actors.engine.Directive.Restart);
      ihk.check();
      return;
    }
    if (f.cause().startsWith(OsInstance.HUNG_CAUSE)) {
      ihk.hungUp(os);
    } else {
      ihk.panicked(os);
    }
    noteStatus(ctx, os);
    if (f.directive() instanceof io.mcksim.actors.engine.Directive.Restart r) {
      dead[os] = false;
      if (ihk.status(os) != OsStatus.SHUTDOWN && !plantedRestartWithoutShutdown) {
        ihk.shutdown(os);
        noteStatus(ctx, os);
      }
      ctx.send(ctx.self(), r.backoffNs() + costs.message(), 0, new RebootDue(os, generation[os]));
    }
    ihk.check();
  }

  /** The OS slot whose instance entity is {@code entity}, or -1. */
  private int osOf(int entity) {
    for (int os = 0; os < generation.length; os++) {
      if (layout.instance(node, os) == entity) {
        return os;
      }
    }
    return -1;
  }

  /** Instances that failed (PANIC or HUNGUP) on this node. */
  public long failures() {
    return failures;
  }

  /** Failed instances the reboot policy booted again. */
  public long reboots() {
    return reboots;
  }

  private void onRequest(SimContext ctx, Request r) {
    String output;
    int errno = 0;
    try {
      output = execute(ctx, r.command());
    } catch (IhkException e) {
      errno = e.errno().number();
      output = "error: " + e.toolMessage();
    } catch (IhkNode.IllegalStep e) {
      error(ctx, r.command().target(), e);
      errno = Errno.EINVAL.number();
      output = "error: " + e.getMessage();
    }
    ctx.send(r.replyTo(), costs.message(), errno, new Reply(r.id(), errno, output));
  }

  private String execute(SimContext ctx, IhkCommand c) {
    if (c.tool().equals("ihkconfig")) {
      if (c.target() != 0) {
        throw new IhkException(Errno.ENODEV, "ihkconfig: /dev/mcd" + c.target()
            + " does not exist; the node has one IHK device, 0");
      }
      return switch (c.verb()) {
        case "reserve cpu" -> done(() -> ihk.reserveCpu(c.cpus()));
        case "reserve mem" -> done(() -> ihk.reserveMem(c.memory()));
        case "release cpu" -> done(() -> ihk.releaseCpu(c.cpus()));
        case "release mem" -> done(() -> ihk.releaseMem(c.memory()));
        case "query cpu" -> ihk.queryCpu();
        case "query mem" -> ihk.queryMem();
        case "create" -> {
          int os = ihk.create();
          generation[os]++;
          runningSince[os] = -1;
          noteStatus(ctx, os);
          yield "";
        }
        case "destroy" -> destroy(ctx, c.osArgument());
        case "get os_instances" -> osInstances();
        default -> throw new IhkException(Errno.EINVAL, "ihkconfig: unknown verb " + c.verb());
      };
    }
    int os = c.target();
    return switch (c.verb()) {
      case "assign cpu" -> done(() -> ihk.assignCpu(os, c.cpus(), c.cpuOrder()));
      case "assign mem" -> done(() -> ihk.assignMem(os, c.memory()));
      case "release cpu" -> done(() -> ihk.releaseOsCpu(os, c.cpus()));
      case "release mem" -> done(() -> ihk.releaseOsMem(os, c.memory()));
      case "query cpu" -> ihk.queryOsCpu(os);
      case "query mem" -> ihk.queryOsMem(os);
      case "query" -> "cpu: " + ihk.queryOsCpu(os) + "\nmem: " + ihk.queryOsMem(os);
      case "load" -> done(() -> ihk.load(os, c.text()));
      case "kargs" -> done(() -> ihk.kargs(os, c.text()));
      case "set ikc_map" -> done(() -> ihk.setIkcMap(os, c.text()));
      case "get ikc_map" -> ihk.getIkcMap(os);
      case "boot" -> boot(ctx, os);
      case "shutdown" -> shutdown(ctx, os);
      case "freeze" -> {
        ihk.freeze(os);
        generation[os]++;
        noteStatus(ctx, os);
        ctx.send(layout.instance(node, os), costs.message(), 0,
            new OsInstance.Freeze(generation[os]));
        yield "";
      }
      case "thaw" -> {
        ihk.thaw(os);
        generation[os]++;
        noteStatus(ctx, os);
        yield "";
      }
      case "dump" -> dump(ctx, os, c.arg());
      case "get status", "status" -> ihk.status(os).shown();
      case "kmsg" -> String.join("\n", ihk.kmsg(os));
      case "clear_kmsg" -> done(() -> ihk.clearKmsg(os));
      default -> throw new IhkException(Errno.EINVAL, "ihkosctl: unknown verb " + c.verb());
    };
  }

  private String boot(SimContext ctx, int os) {
    IhkNode.Instance inst = ihk.boot(os);
    generation[os]++;
    noteStatus(ctx, os);
    if (dead[os]) {
      // the slot's kernel failed and the reboot policy gave up on it: nothing answers the boot
      ihk.appendKmsg(os, "boot failed: the instance failed and the reboot policy does not restart it");
      ctx.send(ctx.self(), costs.message(), 0, new BootResult(os, generation[os], false));
      return "";
    }
    List<Long> memory = new ArrayList<>();
    for (int n = 0; n < ihk.machine().numa().size(); n++) {
      memory.add(inst.memoryOn(n));
    }
    ctx.send(layout.instance(node, os), costs.message(), 0, new OsInstance.Boot(generation[os],
        inst.cpus(), memory, inst.kargs(), failCpuAtNextBoot[os]));
    failCpuAtNextBoot[os] = -1;
    return "";
  }

  private String shutdown(SimContext ctx, int os) {
    IhkNode.Instance inst = ihk.shutdown(os);
    generation[os]++;
    noteStatus(ctx, os);
    if (dead[os]) {
      // a failed instance the policy does not restart: its CPUs stopped when it died
      ctx.send(ctx.self(), costs.message(), 0, new ShutdownDone(os, generation[os]));
      return "";
    }
    ctx.send(layout.instance(node, os), costs.message(), 0,
        new OsInstance.Shutdown(generation[os], inst.cpus()));
    return "";
  }

  private String destroy(SimContext ctx, int os) {
    boolean wasBooted = exists(os) && ihk.status(os) != OsStatus.NOT_BOOTED;
    ihk.destroy(os);
    generation[os]++;
    runningSince[os] = -1;
    transitions.add(ctx.now() + " OS " + os + " DESTROYED");
    tell(ctx, os, "DESTROYED", "");
    if (wasBooted) {
      // forced: the instance's CPUs are reset where they stand
      ctx.send(layout.instance(node, os), costs.message(), 0, new OsInstance.Abandon(generation[os]));
    }
    return "";
  }

  /**
   * {@code ihkosctl OS dump [-d LEVEL] [FILE]}: a Kryo snapshot of the instance's model state, written
   * into the dump folder.
   */
  private String dump(SimContext ctx, int os, String arg) {
    IhkNode.Instance inst = ihk.instance(os);
    List<String> words = new ArrayList<>(List.of(arg.trim().isEmpty() ? new String[0]
        : arg.trim().split("\\s+")));
    int level = 0;
    if (!words.isEmpty() && words.get(0).equals("-d")) {
      if (words.size() < 2 || !words.get(1).matches("0|24")) {
        throw new IhkException(Errno.EINVAL, "dump: -d takes a level, 0 (all memory) or 24 (kernel"
            + " memory only)");
      }
      level = Integer.parseInt(words.get(1));
      words = words.subList(2, words.size());
    }
    if (words.size() > 1) {
      throw new IhkException(Errno.EINVAL, "dump: write ihkosctl " + os + " dump [-d LEVEL] [FILE]");
    }
    String file = words.isEmpty() ? "mcdump_node" + node + "_os" + os + "_" + ctx.now() + "ns"
        : words.get(0);
    if (dumpFolder == null) {
      throw new IhkException(Errno.EACCES, "dump: this run has no dump folder; dumps are written by the shell"
          + " (mcksim shell --out DIR)");
    }
    Path target = DumpFile.resolve(dumpFolder, file);
    List<Long> memory = new ArrayList<>();
    for (int n = 0; n < ihk.machine().numa().size(); n++) {
      memory.add(inst.memoryOn(n));
    }
    InstanceDump d = new InstanceDump(node, os, level, ctx.now(), inst.status().shown(), inst.cpus(),
        memory, inst.image() == null ? "" : inst.image(), inst.kargs() == null ? "" : inst.kargs(),
        ihk.getIkcMap(os), inst.kmsg());
    try {
      DumpFile.write(target, d);
    } catch (java.io.IOException | RuntimeException e) {
      throw new IhkException(Errno.ENOENT, "dump: cannot write " + target + ": " + e.getMessage());
    }
    return "dumped OS " + os + " to " + dumpFolder.resolve(file).normalize();
  }

  private String osInstances() {
    List<Integer> list = ihk.osInstances();
    StringBuilder sb = new StringBuilder();
    for (int os : list) {
      sb.append(sb.length() > 0 ? "\n" : "").append(os);
    }
    return sb.toString();
  }

  private boolean exists(int os) {
    return ihk.osInstances().contains(os);
  }

  private void noteStatus(SimContext ctx, int os) {
    OsStatus status = ihk.status(os);
    transitions.add(ctx.now() + " OS " + os + " " + status.shown());
    boolean failed = status == OsStatus.FAILED || status == OsStatus.HUNGUP || status == OsStatus.NOT_BOOTED;
    List<String> kmsg = failed ? ihk.kmsg(os) : List.of();
    tell(ctx, os, status.shown(), kmsg.isEmpty() ? "" : kmsg.get(kmsg.size() - 1));
  }

  private void tell(SimContext ctx, int os, String status, String cause) {
    if (statusEvents >= 0) {
      ctx.send(statusEvents, costs.message(), 0, new StatusChanged(os, status, cause));
    }
  }

  private static String done(Runnable verb) {
    verb.run();
    return "";
  }
}
