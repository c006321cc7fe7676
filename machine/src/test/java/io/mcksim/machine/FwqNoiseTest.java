package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.linux.noise.PeriodicTick;
import io.mcksim.workloads.Program;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** FWQ on noisy Linux CPUs of a node without McKernel: the measured noise is the configured noise. */
class FwqNoiseTest {

  /** A node without McKernel of seed {@code seed}, program i natively on CPU i. */
  static HybridModel node(long seed, List<Program> programs) {
    List<HybridModel.NativeProcess> natives = new java.util.ArrayList<>();
    for (int i = 0; i < programs.size(); i++) {
      natives.add(new HybridModel.NativeProcess(programs.get(i), List.of(i)));
    }
    return LinuxNodes.of(new ScenarioLoader().load(null, List.of("run.seed=" + seed)), natives);
  }

  private static final long END = Long.MAX_VALUE / 4;

  private static Program fwq(int iterations, long quantum) {
    return Program.named("fwq").repeat(iterations, b -> b.compute(quantum)).exit(0).build();
  }

  private static double noiseFraction(long[] samples, long quantum) {
    double total = 0;
    for (long s : samples) {
      total += s;
    }
    return (total - (double) quantum * samples.length) / total;
  }

  @Test
  void fwqUnderAPeriodicTickMeasuresFrequencyTimesDurationWithinOnePercent() {
    // 250 Hz, 5 us per tick: 0.125% of the time; 10,000 iterations of 100 us
    HybridModel node = node(1, List.of(fwq(10_000, 100_000)))
        .withLinuxNoise(cpu -> List.of(PeriodicTick.hz(250, 5_000, 123_456)));
    new SequentialEngine().run(node, RunSpec.until(END, 1));
    long[] samples = node.nativeCpu(0).computeTimes().samples();
    assertThat(samples).hasSize(10_000);
    assertThat(noiseFraction(samples, 100_000)).isCloseTo(250 * 5_000e-9, Percentage.withPercentage(1));
  }

  @Test
  void withoutNoiseEveryIterationIsExactlyTheQuantum() {
    HybridModel node = node(1, List.of(fwq(1_000, 100_000)));
    new SequentialEngine().run(node, RunSpec.until(END, 1));
    assertThat(node.nativeCpu(0).computeTimes().samples()).containsOnly(100_000L);
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 4})
  void noisyFwqIsTheSameOnEveryEngineAndThreadCount(int threads) {
    List<Program> four = List.of(fwq(2_000, 50_000), fwq(2_000, 50_000), fwq(2_000, 50_000),
        fwq(2_000, 50_000));
    HybridModel seq = node(9, four).withLinuxNoise("linux-default");
    RunResult a = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    HybridModel act = node(9, four).withLinuxNoise("linux-default");
    RunResult b = new ActorEngine().run(act, RunSpec.until(END, threads));
    assertThat(b.digest()).isEqualTo(a.digest());
    for (int cpu = 0; cpu < 4; cpu++) {
      assertThat(act.nativeCpu(cpu).computeTimes().samples())
          .containsExactly(seq.nativeCpu(cpu).computeTimes().samples());
    }
    // each CPU draws its own daemons: the cores do not suffer alike
    assertThat(seq.nativeCpu(0).stolenNs()).isNotEqualTo(seq.nativeCpu(1).stolenNs());
  }

  @Test
  void ftqCountsFewerUnitsInExactlyTheQuantaATickFallsIn() {
    // 100 us quanta of 100 ns units; a 1000 Hz tick of 2 us takes 20 units from every tenth quantum
    Program ftq = Program.named("ftq").ftq(100_000, 10_000, 100).exit(0).build();
    HybridModel node = node(1, List.of(ftq)).withLinuxNoise(cpu -> List.of(PeriodicTick.hz(1_000, 2_000, 0)));
    new SequentialEngine().run(node, RunSpec.until(END, 1));
    long[] counts = node.nativeCpu(0).ftqCounts().samples();
    assertThat(counts).hasSize(10_000);
    for (int k = 0; k < counts.length; k++) {
      assertThat(counts[k]).as("quantum %d", k).isEqualTo(k % 10 == 0 ? 980 : 1_000);
    }
  }
}
