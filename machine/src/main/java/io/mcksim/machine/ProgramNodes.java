package io.mcksim.machine;

import io.mcksim.actors.engine.PartialResults;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.StreamTransport;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.config.Scenario;
import io.mcksim.linux.ProxyProcess;
import io.mcksim.linux.noise.NoiseProfile;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.LatencyLog;
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
