package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * CPUs that run their threads' loops of computation ahead in closed form ({@code SimContext.runAhead})
 * give exactly the event-by-event run: the same samples, counters and digest, on both engines and every
 * thread count, with noise, the McKernel tick, interrupts that cut a loop, signals, and a run that ends
 * in the middle of one. FTQ's counts in closed form (a run of quiet quanta counted at once) are what a
 * core working unit by unit, an event per unit, gets done by each quantum's end.
 */
class RunAheadTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final long END = Long.MAX_VALUE / 4;

  private static Program fwq(int iterations, long quantum) {
    return Program.named("fwq").repeat(iterations, b -> b.compute(quantum)).exit(0).build();
  }

  /** A node whose McKernel CPUs are 4.., its Linux CPUs 0-3; the McKernel tick as configured. */
  private static HybridModel mckernel(int cpus, List<HybridModel.Process> processes) {
    return new HybridModel(IntStream.range(4, 4 + cpus).boxed().toList(), "", processes,
        SyscallTable.defaultTable(), S.ikc(), S.offload(), S.syscalls(), S.remoteFault(), S.mckernel(),
        S.launch(), 1).withLinuxCpus(new int[] {0, 1, 2, 3});
  }

  /** What one run shows: its digest and events, and each CPU's samples and counters. */
  private record Seen(String digest, long events, long virtualEnd, List<List<Long>> samples) {}

  private static List<Long> boxed(long[] a) {
    List<Long> out = new ArrayList<>(a.length);
    for (long v : a) {
      out.add(v);
    }
    return out;
  }

  /**
   * Runs the model {@code make} builds on the sequential engine event by event, then with run-ahead on
   * the sequential engine and on the actor engine at 1, 2 and 4 threads: everything seen is the same.
   */
  private static Seen sameEveryWay(Supplier<HybridModel> make, Function<HybridModel, List<List<Long>>> look,
      long end) {
    HybridModel first = make.get();
    RunResult r = new SequentialEngine().run(first, RunSpec.until(end, 1).withRunAhead(false));
    Seen oracle = new Seen(r.digest(), r.events(), r.virtualEndNs(), look.apply(first));
    List<Engine> engines = List.of(new SequentialEngine(), new ActorEngine(), new ActorEngine(), new ActorEngine());
    int[] threads = {1, 1, 2, 4};
    for (int i = 0; i < engines.size(); i++) {
      HybridModel m = make.get();
      RunResult x = engines.get(i).run(m, RunSpec.until(end, threads[i]));
      assertThat(new Seen(x.digest(), x.events(), x.virtualEndNs(), look.apply(m)))
          .as("%s engine, %d threads, run-ahead on", engines.get(i).name(), threads[i]).isEqualTo(oracle);
    }
    return oracle;
  }

  private static List<List<Long>> linuxSamples(HybridModel m, int cpus) {
    List<List<Long>> out = new ArrayList<>();
    for (int i = 0; i < cpus; i++) {
      out.add(boxed(m.nativeCpu(i).computeTimes().samples()));
      out.add(List.of(m.nativeCpu(i).stolenNs(), m.nativeCpu(i).exitTime()));
    }
    return out;
  }

  private static List<List<Long>> mckernelSamples(HybridModel m, int cpus) {
    List<List<Long>> out = new ArrayList<>();
    for (int i = 0; i < cpus; i++) {
      out.add(boxed(m.cpu(i).computeTimes().samples()));
      out.add(List.of(m.cpu(i).tickNs(), m.cpu(i).irqNs(), (long) m.cpu(i).threads().get(0).exitStatus(),
          m.cpu(i).threads().get(0).exitTime()));
    }
    return out;
  }

  @Test
  void fwqOnNoisyLinuxCpusIsTheSameAheadAndEventByEvent() {
    List<HybridModel.NativeProcess> natives = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      natives.add(new HybridModel.NativeProcess(fwq(3_000, 50_000), List.of(i)));
    }
    Seen seen = sameEveryWay(() -> LinuxNodes.of(new ScenarioLoader().load(null, List.of("run.seed=5")), natives)
        .withLinuxNoise("linux-default"), m -> linuxSamples(m, 4), END);
    assertThat(seen.samples().get(0)).hasSize(3_000);
    assertThat(seen.samples().get(0).stream().mapToLong(Long::longValue).max().getAsLong()).isGreaterThan(50_000);
  }

  @Test
  void fwqOnMcKernelCpusIsTheSameAheadAndEventByEvent() {
    Seen seen = sameEveryWay(() -> mckernel(4, List.of(new HybridModel.Process(fwq(2_000, 100_000),
        List.of(0, 1, 2, 3), 0))), m -> mckernelSamples(m, 4), END);
    assertThat(seen.samples().get(0)).hasSize(2_000).containsOnly(100_000L);
    // and the loops did run ahead: the actor engine had a window per iteration, now only a few
    RunResult ahead = new ActorEngine().run(mckernel(4, List.of(new HybridModel.Process(fwq(2_000, 100_000),
        List.of(0, 1, 2, 3), 0))), RunSpec.until(END, 2));
    RunResult byEvent = new ActorEngine().run(mckernel(4, List.of(new HybridModel.Process(fwq(2_000, 100_000),
        List.of(0, 1, 2, 3), 0))), RunSpec.until(END, 2).withRunAhead(false));
    assertThat(byEvent.windows()).isGreaterThan(2_000);
    assertThat(ahead.windows()).isLessThan(byEvent.windows() / 20);
  }

  /**
   * The units a core working unit by unit, each unit an event (run-ahead off), has done by each
   * quantum's end; the units start when {@code start} says the quanta did.
   */
  private static List<Long> unitsPerQuantum(long[] unitTimes, long start, long quantum, int quanta) {
    List<Long> counts = new ArrayList<>();
    long done = start;
    int j = 0;
    for (int k = 1; k <= quanta; k++) {
      long n = 0;
      while (j < unitTimes.length && done + unitTimes[j] <= start + k * quantum) {
        done += unitTimes[j++];
        n++;
      }
      counts.add(n);
    }
    return counts;
  }

  @Test
  void ftqCountsAreWhatWorkingUnitByUnitEventByEventGives() {
    int quanta = 400;
    long quantum = 100_000;
    // a unit that divides the quantum (quiet quanta counted in runs) and one that does not
    for (long unit : new long[] {100, 7_000}) {
      Program ftq = Program.named("ftq").ftq(quantum, quanta, unit).exit(0).build();
      int units = (int) (quanta * quantum / unit) + 1;
      Program byUnit = Program.named("units").repeat(units, b -> b.compute(unit)).exit(0).build();
      for (long seed : new long[] {1, 7}) {
        Function<Program, HybridModel> linux = p -> LinuxNodes.of(new ScenarioLoader().load(null,
            List.of("run.seed=" + seed)), List.of(new HybridModel.NativeProcess(p, List.of(0)),
            new HybridModel.NativeProcess(p, List.of(1)))).withLinuxNoise("linux-default");
        HybridModel counted = linux.apply(ftq);
        new ActorEngine().run(counted, RunSpec.until(END, 2));
        HybridModel oracle = linux.apply(byUnit);
        new SequentialEngine().run(oracle, RunSpec.until(END, 1).withRunAhead(false));
        for (int cpu = 0; cpu < 2; cpu++) {
          long start = counted.nativeCpu(cpu).exitTime() - quanta * quantum;
          long[] unitTimes = oracle.nativeCpu(cpu).computeTimes().samples();
          assertThat(boxed(counted.nativeCpu(cpu).ftqCounts().samples()))
              .as("Linux CPU %d, seed %d, unit %d ns", cpu, seed, unit)
              .isEqualTo(unitsPerQuantum(unitTimes, start, quantum, quanta))
              .matches(c -> c.stream().anyMatch(n -> n < quantum / unit), "some quantum was interrupted");
        }
      }
      Function<Program, HybridModel> mck = p -> mckernel(2, List.of(new HybridModel.Process(p, List.of(0, 1), 0)));
      HybridModel counted = mck.apply(ftq);
      new ActorEngine().run(counted, RunSpec.until(END, 2));
      HybridModel oracle = mck.apply(byUnit);
      new SequentialEngine().run(oracle, RunSpec.until(END, 1).withRunAhead(false));
      for (int cpu = 0; cpu < 2; cpu++) {
        long start = counted.cpu(cpu).threads().get(0).exitTime() - quanta * quantum;
        assertThat(boxed(counted.cpu(cpu).ftqCounts().samples())).as("McKernel CPU %d, unit %d ns", cpu, unit)
            .isEqualTo(unitsPerQuantum(oracle.cpu(cpu).computeTimes().samples(), start, quantum, quanta));
      }
    }
  }

  @Test
  void aRunThatEndsInTheMiddleOfALoopStopsItsSamplesAlike() {
    sameEveryWay(() -> mckernel(2, List.of(new HybridModel.Process(fwq(2_000, 100_000), List.of(0, 1), 0))),
        m -> mckernelSamples(m, 2), 77_777_777);
    List<HybridModel.NativeProcess> natives = List.of(new HybridModel.NativeProcess(fwq(3_000, 50_000), List.of(0)));
    Seen linux = sameEveryWay(() -> LinuxNodes.of(new ScenarioLoader().load(null, List.of("run.seed=3")), natives)
        .withLinuxNoise("linux-default"), m -> linuxSamples(m, 1), 33_333_333);
    assertThat(linux.samples().get(0).size()).isBetween(600, 700);
  }

  @Test
  void theTickOfAnOversubscribedMcKernelCpuStretchesEveryIterationAlike() {
    // two threads on one CPU: the first computes while the second waits, so the tick runs
    Program second = Program.named("second").compute(1_000).exit(0).build();
    Seen seen = sameEveryWay(() -> mckernel(1, List.of(new HybridModel.Process(fwq(3_000, 30_000), List.of(0, 0), 0,
        HybridModel.DEFAULT_DATA_BYTES, List.of(fwq(3_000, 30_000), second), 0,
        List.of()))), m -> mckernelSamples(m, 1), END);
    assertThat(seen.samples().get(1).get(0)).as("tick time").isPositive();
  }

  @Test
  void interruptsAndSignalsThatCutALoopAreTakenInTheirPlace() {
    // the main thread starts a worker that loops, then makes an offloaded write whose buffer page the
    // proxy lacks: the remote fault's and the wake-up's interrupts land in the worker's loop; a signal
    // at 8 ms (after the launch) ends the process in the middle of it
    Program worker = fwq(1_000, 10_000);
    Program main = Program.named("main").spawnThread(worker)
        .syscall("write", SyscallArgs.fd(1).size(64).buffer(0x10000)).exit(0).build();
    Seen seen = sameEveryWay(() -> mckernel(1, List.of(new HybridModel.Process(main, List.of(0), 0,
        HybridModel.DEFAULT_DATA_BYTES, List.of(), 0,
        List.of(new io.mcksim.workloads.Signals.Timed(8_000_000, 10))))), m -> {
          List<List<Long>> out = new ArrayList<>();
          out.add(boxed(m.cpu(0).computeTimes().samples()));
          out.add(List.of(m.cpu(0).irqNs(), m.cpu(0).wakeUps()));
          return out;
        }, END);
    assertThat(seen.samples().get(1).get(0)).as("interrupt time").isPositive();
    assertThat(seen.samples().get(0).size()).as("iterations before the signal").isBetween(100, 999);
  }
}
