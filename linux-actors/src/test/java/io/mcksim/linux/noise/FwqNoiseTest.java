package io.mcksim.linux.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.config.SyscallCosts;
import io.mcksim.linux.LinuxNode;
import io.mcksim.workloads.Program;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** FWQ on noisy Linux CPUs: the measured noise is the configured noise. */
class FwqNoiseTest {

  private static final SyscallCosts SYS = new ScenarioLoader().defaults().syscalls();
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
    LinuxNode node = new LinuxNode(List.of(fwq(10_000, 100_000)), SYS,
        cpu -> List.of(PeriodicTick.hz(250, 5_000, 123_456)), 1);
    new SequentialEngine().run(node, RunSpec.until(END, 1));
    long[] samples = node.cpu(0).computeTimes().samples();
    assertThat(samples).hasSize(10_000);
    assertThat(noiseFraction(samples, 100_000)).isCloseTo(250 * 5_000e-9, Percentage.withPercentage(1));
  }

  @Test
  void withoutNoiseEveryIterationIsExactlyTheQuantum() {
    LinuxNode node = new LinuxNode(List.of(fwq(1_000, 100_000)), SYS, "none", 1);
    new SequentialEngine().run(node, RunSpec.until(END, 1));
    assertThat(node.cpu(0).computeTimes().samples()).containsOnly(100_000L);
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 4})
  void noisyFwqIsTheSameOnEveryEngineAndThreadCount(int threads) {
    List<Program> four = List.of(fwq(2_000, 50_000), fwq(2_000, 50_000), fwq(2_000, 50_000),
        fwq(2_000, 50_000));
    LinuxNode seq = new LinuxNode(four, SYS, "linux-default", 9);
    RunResult a = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    LinuxNode act = new LinuxNode(four, SYS, "linux-default", 9);
    RunResult b = new ActorEngine().run(act, RunSpec.until(END, threads));
    assertThat(b.digest()).isEqualTo(a.digest());
    for (int cpu = 0; cpu < 4; cpu++) {
      assertThat(act.cpu(cpu).computeTimes().samples())
          .containsExactly(seq.cpu(cpu).computeTimes().samples());
    }
    // each CPU draws its own daemons: the cores do not suffer alike
    assertThat(seq.cpu(0).stolenNs()).isNotEqualTo(seq.cpu(1).stolenNs());
  }

  @Test
  void ftqCountsFewerUnitsInExactlyTheQuantaATickFallsIn() {
    // 100 us quanta of 100 ns units; a 1000 Hz tick of 2 us takes 20 units from every tenth quantum
    Program ftq = Program.named("ftq").ftq(100_000, 10_000, 100).exit(0).build();
    LinuxNode node = new LinuxNode(List.of(ftq), SYS, cpu -> List.of(PeriodicTick.hz(1_000, 2_000, 0)), 1);
    new SequentialEngine().run(node, RunSpec.until(END, 1));
    long[] counts = node.cpu(0).ftqCounts().samples();
    assertThat(counts).hasSize(10_000);
    for (int k = 0; k < counts.length; k++) {
      assertThat(counts[k]).as("quantum %d", k).isEqualTo(k % 10 == 0 ? 980 : 1_000);
    }
  }
}
