package io.mcksim.mckernel.chaos;

import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.config.ChaosSettings;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A chaos run: every node boots McKernel through IHK's verbs as the partition section says and runs
 * one job (one McKernel process, a thread per McKernel CPU, calls offloaded through its proxy to a
 * Linux service) beside Linux-side work on the Linux CPU the proxy shares; faults strike, scheduled
 * or drawn from the seed; IHK and the job recover through the real paths (status notice, dump,
 * proxies killed, shutdown, destroy, release, reboot by policy; job failed, requeued or restarted);
 * and invariant checkers watch: resources accounted exactly, every launched process with an exit
 * status, no IKC packet unaccounted, Linux-side work never delayed by an LWK fault, no thread stuck.
 *
 * <p>Each node is a domain; nodes do not talk to each other. Entities of node n, from
 * {@code n * perNode}: the IHK agent (IHK master, ihkmond and the job manager), the job's McKernel
 * CPUs, the Linux CPU (proxy and Linux-side work) and the Linux service. A chaos run checks
 * invariants across a node's entities as it goes, so it runs on the sequential engine.
 */
public final class ChaosMachine implements SimModel {

  /** A bug planted on purpose, to show the checkers catch it. Tests switch it on; nothing else does. */
  public enum PlantedBug {
    /** After an LWK failure, the proxy of the McKernel process is not killed. */
    PROXY_NOT_KILLED,
    /** After an LWK's shutdown, its instance is not destroyed nor its resources released. */
    RESOURCES_NOT_RELEASED
  }

  /**
   * One node at the end of a run.
   *
   * @param launches   every process launched, with its exit status (null: none)
   * @param lastFrom   the iteration the last process started from (0, or its job's checkpoint)
   * @param dumps      the dumps taken of failed instances
   * @param lastFailure how the LWK last failed ("" if never)
   * @param instance   the instance's status ("none" when none exists)
   * @param resources  where the resources are wrong, or null
   */
  public record NodeReport(int node, String job, Map<Integer, Integer> launches, long reboots, long relaunches,
      List<io.mcksim.ihk.InstanceDump> dumps, String lastFailure, int lastFrom, String instance, String resources) {}

  /** Every node as the run left it. */
  public List<NodeReport> nodeReports() {
    List<NodeReport> out = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      out.add(((ChaosAgent) entities[agent(n)]).report());
    }
    return out;
  }

  final Scenario scenario;
  final ChaosSettings chaos;
  final int nodes;
  final int threads;
  final int perNode;
  final long messageNs;
  final long bootNs;
  final long shutdownNs;
  final PartitionSettings.Instance partition;
  private final long seed;
  private final RandomStreams streams;
  private final Map<String, Boolean> armed = new TreeMap<>();
  private final Map<String, Long> fired = new TreeMap<>();
  private final SimEntity[] entities;
  private final List<List<Msg.Strike>> strikes = new ArrayList<>();
  PlantedBug bug;

  /** The scenario's chaos run with its own seed. */
  public ChaosMachine(Scenario s) {
    this(s, s.run().seed());
  }

  /** The scenario's chaos run with seed {@code seed} (a campaign's seeds share one loaded scenario). */
  public ChaosMachine(Scenario s, long seed) {
    this.scenario = s;
    this.chaos = s.chaos();
    this.seed = seed;
    this.streams = new RandomStreams(seed);
    this.nodes = s.machine().nodes();
    if (s.partition().instances().isEmpty()) {
      throw new IllegalArgumentException("chaos: partition.instances is empty; the job needs a McKernel "
          + "instance on each node");
    }
    this.partition = s.partition().instances().get(0);
    this.threads = chaos.job().threads();
    if (threads > partition.cpus().size()) {
      throw new IllegalArgumentException("chaos.job.threads = " + threads + ", but partition.instances[0] "
          + "has " + partition.cpus().size() + " CPUs; use at most " + partition.cpus().size());
    }
    this.perNode = threads + 3;
    this.messageNs = s.lifecycle().message();
    int cpus = partition.cpus().size();
    // a boot takes what IHK's verbs take wherever a node boots: mcreboot.sh until it has seen RUNNING
    this.bootNs = new io.mcksim.ihk.IhkParts(s).bootAloneNs();
    this.shutdownNs = s.lifecycle().shutdownBase() + s.lifecycle().shutdownPerCpu() * cpus;
    for (String kind : ChaosSettings.KINDS) {
      ChaosSettings.Site site = chaos.sites().get(kind);
      armed.put(kind, site.enable() > 0 && streams.stream(-1, "arm-" + kind).nextDouble() < site.enable()
          && site.fire() > 0);
      fired.put(kind, 0L);
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
          strikes.get(n).add(new Msg.Strike(f.kind(), cpu, f.durationNs(), f.atNs()));
        }
      }
    }
    this.entities = new SimEntity[nodes * perNode];
    this.ikcs = new ChaosIkc[nodes];
    for (int n = 0; n < nodes; n++) {
      ikcs[n] = new ChaosIkc(this);
    }
  }

  private final ChaosIkc[] ikcs;

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

  @Override
  public int entityCount() {
    return entities.length;
  }

  @Override
  public int domainCount() {
    return nodes;
  }

  @Override
  public int domainOf(int entity) {
    return entity / perNode;
  }

  /** Nodes never talk to each other. */
  @Override
  public long lookahead() {
    return 1_000_000_000L;
  }

  @Override
  public long localLookahead() {
    return 1;
  }

  @Override
  public SimEntity createEntity(int id) {
    int node = id / perNode;
    int local = id % perNode;
    SplittableRandom random = streams.stream(id, "chaos");
    SimEntity e;
    if (local == 0) {
      e = new ChaosAgent(this, node, random, strikes.get(node));
    } else if (local <= threads) {
      e = new ChaosLwk(this, node, local - 1, random);
    } else if (local == threads + 1) {
      e = new ChaosLinux(this, node, random);
    } else {
      e = new ChaosService(this, node, random);
    }
    entities[id] = e;
    return e;
  }

  int agent(int node) {
    return node * perNode;
  }

  int lwk(int node, int cpu) {
    return node * perNode + 1 + cpu;
  }

  int linux(int node) {
    return node * perNode + threads + 1;
  }

  int service(int node) {
    return node * perNode + threads + 2;
  }

  /** An entity as a person reads it: "node 2 McKernel CPU 1". */
  String nameOf(int id) {
    int node = id / perNode;
    int local = id % perNode;
    String what = local == 0 ? "IHK" : local <= threads ? "McKernel CPU " + (local - 1)
        : local == threads + 1 ? "Linux CPU" : "Linux service";
    return "node " + node + " " + what;
  }

  /** The scheduled faults that strike node {@code node}. */
  List<Msg.Strike> strikes(int node) {
    return strikes.get(node);
  }

  boolean armed(String kind) {
    return armed.get(kind);
  }

  /** The IKC channels of node {@code node}, shared by its McKernel CPUs and its Linux CPU. */
  ChaosIkc ikc(int node) {
    return ikcs[node];
  }

  boolean fires(String kind, SplittableRandom random) {
    return armed.get(kind) && random.nextDouble() < chaos.sites().get(kind).fire();
  }

  long siteDuration(String kind) {
    return chaos.sites().get(kind).durationNs();
  }

  void fired(String kind) {
    fired.merge(kind, 1L, Long::sum);
  }

  /** An invariant failed at {@code now}: the violation, with the last events of {@code involved}. */
  InvariantViolation violation(String invariant, long now, String message, int... involved) {
    StringBuilder sb = new StringBuilder(message).append('\n');
    for (int id : involved) {
      sb.append(trail(id).render(nameOf(id), this::nameOf));
    }
    return new InvariantViolation(invariant, now, sb.toString().stripTrailing());
  }

  private Trail trail(int id) {
    return ((ChaosPart) entities[id]).trail();
  }

  // ---------------------------------------------------------------- after the run

  /**
   * The invariants checked once the run is over (the queue ran dry, or the end time came):
   * resources, exit statuses, IKC accounting, no thread stuck. Throws the first violation.
   */
  public void checkEnd(long endNs) {
    for (int n = 0; n < nodes; n++) {
      ChaosAgent a = (ChaosAgent) entities[agent(n)];
      if (a.lost()) {
        continue;
      }
      String res = a.resourcesProblem();
      if (res != null) {
        throw violation("resources-accounted", endNs, "node " + n + ": " + res, agent(n));
      }
      Integer pid = a.processWithoutExitStatus();
      if (pid != null) {
        throw violation("exit-status", endNs, "node " + n + ": process " + pid
            + " was launched but has no exit status", agent(n), linux(n));
      }
      long arrived = 0;
      for (int c = 0; c < threads; c++) {
        ChaosLwk cpu = (ChaosLwk) entities[lwk(n, c)];
        arrived += cpu.arrivals;
        if (cpu.stuck()) {
          throw violation("no-stuck-thread", endNs, "node " + n + ": the thread on McKernel CPU " + c
              + " of process " + cpu.pid() + " is still " + cpu.state() + " at the end of the run",
              lwk(n, c), agent(n));
        }
      }
      arrived += ((ChaosLinux) entities[linux(n)]).arrivals;
      io.mcksim.ikc.ChannelStats sent = ikcs[n].sent();
      if (sent.packets() + sent.duplicated() != arrived) {
        throw violation("ikc-accounted", endNs, "node " + n + ": " + sent.packets() + " IKC packets written and "
            + sent.duplicated() + " duplicated (" + sent.dropped() + " dropped before the ring), but " + arrived
            + " arrived", linux(n), lwk(n, 0));
      }
    }
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

  public Outcome outcome() {
    long reboots = 0;
    long relaunches = 0;
    long processes = 0;
    List<String> jobs = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      ChaosAgent a = (ChaosAgent) entities[agent(n)];
      reboots += a.reboots;
      relaunches += a.relaunches;
      processes += a.launched();
      jobs.add(a.jobState());
    }
    // IKC faults count the packets they struck, as the channels counted them
    Map<String, Long> all = new TreeMap<>(fired);
    for (ChaosIkc ikc : ikcs) {
      io.mcksim.ikc.ChannelStats st = ikc.sent();
      all.merge("ikc-drop", st.dropped(), Long::sum);
      all.merge("ikc-delay", st.delayed(), Long::sum);
      all.merge("ikc-duplicate", st.duplicated(), Long::sum);
      all.merge("ikc-clog", st.clogged(), Long::sum);
    }
    long total = all.values().stream().mapToLong(Long::longValue).sum();
    return new Outcome(total, Map.copyOf(all), reboots + relaunches, List.copyOf(jobs), reboots, relaunches,
        processes);
  }

  /** How an event reads in the replay's event log. */
  public String describe(int target, int source, Object payload) {
    return nameOf(target) + " <- " + (source == target ? "itself" : nameOf(source)) + ": " + payload;
  }
}
