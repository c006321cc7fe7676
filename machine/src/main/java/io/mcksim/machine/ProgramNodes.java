package io.mcksim.machine;

import io.mcksim.actors.engine.PartialResults;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.config.ConfigProblem;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioException;
import io.mcksim.linux.ProxyProcess;
import io.mcksim.linux.noise.NoiseProfile;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.ProgramReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Programs under mcexec on McKernel nodes ({@code workload.type = programs}): every node of the machine
 * runs the same processes, each on the OS instance it names, built by the same {@link McKernelNodes} as
 * every McKernel node, its Linux CPUs with {@code os.linux-noise} from the node's own streams. Its
 * figures are node 0's processes', read from the entities by the JVM that created them; in a run
 * spread over JVMs that JVM sends them to the coordinating one ({@link Figures}).
 */
public final class ProgramNodes implements PartialResults {

  /**
   * What one process of node 0 did: how it ended, its proxy's work, its page faults, its first CPU's
   * counters and per syscall its latencies.
   */
  public record Process(int pid, int instance, int cpu, int exitStatus, int exitSignal, long startNs,
      long exitNs, long offloaded, long queued, long remoteFaults, long viewReads, long viewBytes,
      long pageFaults, long[] counters, String[] syscalls, LatencyLog[] latencies) {

    /** Its syscalls' latencies by name, in name order. */
    public Map<String, LatencyLog> calls() {
      Map<String, LatencyLog> out = new TreeMap<>();
      for (int i = 0; i < syscalls.length; i++) {
        out.put(syscalls[i], latencies[i]);
      }
      return out;
    }
  }

  /**
   * Node 0's processes' figures, in the order the processes were given, and what McKernel's kprintf
   * wrote into the kernel log of node 0's instances (page faults it could not resolve), oldest first.
   */
  public record Figures(List<Process> processes, List<String> kmsg) implements SimMessage {}

  private final HybridModel nodes;
  private final List<HybridModel.Process> processes;
  private Figures received;

  private ProgramNodes(HybridModel nodes, List<HybridModel.Process> processes) {
    this.nodes = nodes;
    this.processes = List.copyOf(processes);
  }

  /** The machine of {@code s} running {@code processes} on every node, under McKernel's {@code table}. */
  public static ProgramNodes of(Scenario s, List<HybridModel.Process> processes, SyscallTable table) {
    NoiseProfile.Factory linux = NoiseProfile.factory(s.noise(), s.os().linuxNoise());
    HybridModel model = McKernelNodes.of(s, processes, table).withNodes(s.machine().nodes());
    model.withLinuxNoise((node, cpu) -> linux.sources(model.seed(), node, cpu));
    return new ProgramNodes(model, processes);
  }

  /**
   * The scenario's programs ({@code workload.programs}) with the instance each runs on, read and checked
   * (every problem at once, with file and line) before anything runs: what {@code workload.type =
   * programs} runs, and a chaos scenario's programs job.
   */
  public static List<ProgramReader.Listed> listed(Scenario s) {
    if (!s.config().hasPath("workload.programs")) {
      throw new ScenarioException(List.of(new ConfigProblem(ConfigProblem.placeOf(s.config().origin()),
          "workload.programs", "missing; workload.type = programs needs a list of programs, each "
          + "{ name = ..., ops = [ ... ] }")));
    }
    List<ProgramReader.Listed> listed = ProgramReader.listedFromConfig(s.config(), "workload.programs");
    List<Program> programs = listed.stream().map(ProgramReader.Listed::program).toList();
    String origin = ConfigProblem.placeOf(s.config().getValue("workload.programs").origin());
    if (programs.isEmpty()) {
      throw new ScenarioException(List.of(new ConfigProblem(origin, "workload.programs",
          "the list is empty; list at least one program as { name = ..., ops = [ ... ] } (see examples/programs.conf)")));
    }
    if (linux(s)) {
      List<ConfigProblem> problems = new ArrayList<>();
      for (int i = 0; i < programs.size(); i++) {
        if (!listed.get(i).signals().isEmpty()) {
          problems.add(new ConfigProblem(origin, "workload.programs[" + i + "].signals", "program '"
              + programs.get(i).name() + "' is sent signals, which mcexec relays to McKernel; under "
              + "os.model = linux there is no mcexec: run it under os.model = mckernel or leave the key out"));
        }
        String kind = unsupportedOnLinux(programs.get(i).ops());
        if (kind != null) {
          problems.add(new ConfigProblem(origin, "workload.programs[" + i + "]", "program '"
              + programs.get(i).name() + "' has a " + kind + " op, which Linux CPUs do not model; run it "
              + "under os.model = mckernel or leave the op out"));
        }
      }
      if (programs.size() > s.machine().allCpus().size()) {
        problems.add(new ConfigProblem(origin, "workload.programs", programs.size() + " programs, but the "
            + "machine has " + s.machine().allCpus().size() + " CPUs (one program per CPU)"));
      }
      if (!problems.isEmpty()) {
        throw new ScenarioException(problems);
      }
      return listed;
    }
    List<PartitionSettings.Instance> instances = s.partition().instances();
    List<ConfigProblem> problems = new ArrayList<>();
    int[] on = new int[instances.size()];
    for (int i = 0; i < listed.size(); i++) {
      int k = listed.get(i).instance();
      if (k >= instances.size()) {
        problems.add(new ConfigProblem(ConfigProblem.placeOf(listed.get(i).where()), "workload.programs[" + i
            + "].instance", "program '" + programs.get(i).name() + "' runs on OS instance " + k + ", but "
            + "partition.instances lists " + (instances.size() == 1 ? "only instance 0"
            : "instances 0-" + (instances.size() - 1))
            + "; name one of them or add the instance to partition.instances"));
      } else {
        on[k]++;
      }
    }
    for (int k = 0; k < instances.size(); k++) {
      int cpus = instances.get(k).cpus().size();
      if (on[k] > cpus) {
        problems.add(new ConfigProblem(origin, "workload.programs", on[k] + " programs on OS instance " + k
            + ", but it has " + cpus + " McKernel CPUs (one program per CPU); give more CPUs in "
            + "partition.instances[" + k + "].cpus or fewer programs"
            + (instances.size() > 1 ? ", or run some on another instance (instance = N)" : "")));
      }
    }
    if (instances.isEmpty() && problems.isEmpty()) {
      problems.add(new ConfigProblem(origin, "workload.programs", programs.size() + " programs, but the "
          + "partition has no OS instance to run them on; list one in partition.instances"));
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
    return listed;
  }

  /** Whether the programs run natively on Linux ({@code os.model = linux}). */
  public static boolean linux(Scenario s) {
    return s.os().model().equals("linux");
  }

  /** The first op kind a Linux CPU cannot run, or null; repeats of any depth walked without recursion. */
  private static String unsupportedOnLinux(List<Op> ops) {
    java.util.ArrayDeque<List<Op>> bodies = new java.util.ArrayDeque<>(List.of(ops));
    while (!bodies.isEmpty()) {
      for (Op op : bodies.poll()) {
        if (op instanceof Op.SpawnThread || op instanceof Op.Fork || op instanceof Op.Exec || op instanceof Op.Futex
            || op instanceof Op.Kill || op instanceof Op.Tgkill || op instanceof Op.SigAction) {
          return op.kind();
        } else if (op instanceof Op.Repeat r) {
          bodies.add(r.body());
        }
      }
    }
    return null;
  }

  /**
   * The scenario's programs as McKernel processes, every node alike: each on the instance it names, the
   * programs of one instance, in their order, on its McKernel CPUs 0, 1, 2, ..., with their timed signals.
   */
  public static List<HybridModel.Process> processes(Scenario s) {
    List<HybridModel.Process> processes = new ArrayList<>();
    int[] next = new int[s.partition().instances().size()];
    for (ProgramReader.Listed l : listed(s)) {
      processes.add(new HybridModel.Process(l.program(), List.of(next[l.instance()]++), 0)
          .onInstance(l.instance()).withSignals(l.signals()));
    }
    return processes;
  }

  /** The nodes to run. */
  public HybridModel model() {
    return nodes;
  }

  /** After a run: node 0's figures, from this JVM's entities or from the JVM that had node 0. */
  public Figures figures() {
    Figures local = localFigures();
    if (local != null) {
      return local;
    }
    if (received == null) {
      throw new IllegalStateException("no JVM sent the figures of node 0");
    }
    return received;
  }

  /** Node 0's figures if this JVM created its entities, else null. */
  private Figures localFigures() {
    if (processes.isEmpty()
        || !nodes.created(nodes.cpuEntity(0, processes.get(0).instance(), processes.get(0).cpus().get(0)))) {
      return null;
    }
    List<Process> out = new ArrayList<>();
    for (int i = 0; i < processes.size(); i++) {
      HybridModel.Process p = processes.get(i);
      McKernelCpu cpu = nodes.cpu(p.instance(), p.cpus().get(0));
      McKernelCpu.McThread t = cpu.threads().get(0);
      ProxyProcess proxy = nodes.proxyOf(i);
      Map<String, LatencyLog> calls = new TreeMap<>(cpu.latencies());
      out.add(new Process(t.pid(), p.instance(), p.cpus().get(0), t.exitStatus(), t.exitSignal(), t.startTime(),
          t.exitTime(), proxy.served(), proxy.queued(), proxy.remoteFaults(), proxy.viewReads(), proxy.viewBytes(),
          nodes.processOf(i).pageFaults(), cpu.performanceCounters(), calls.keySet().toArray(new String[0]),
          calls.values().toArray(new LatencyLog[0])));
    }
    List<McKernelCpu.KernelLine> lines = new ArrayList<>();
    for (int os = 0; os < nodes.instances(); os++) {
      for (int c = 0; c < nodes.cpusOf(os); c++) {
        lines.addAll(nodes.cpu(os, c).kmsg());
      }
    }
    lines.sort(java.util.Comparator.comparingLong(McKernelCpu.KernelLine::ns));
    return new Figures(out, lines.stream().map(McKernelCpu.KernelLine::text).toList());
  }

  @Override
  public SimMessage localPart() {
    return localFigures();
  }

  @Override
  public void addPart(SimMessage part) {
    received = (Figures) part;
  }

  @Override
  public String name() {
    return nodes.name();
  }

  @Override
  public long seed() {
    return nodes.seed();
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
}
