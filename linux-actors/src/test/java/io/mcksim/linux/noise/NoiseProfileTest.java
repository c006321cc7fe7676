package io.mcksim.linux.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.config.CpuList;
import io.mcksim.config.NoiseSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Noise profiles of a scenario's own: sources composed per CPU set, daemons aligned or not. */
class NoiseProfileTest {

  private static NoiseSettings daemons(NoiseSettings.Phase phase) {
    return new NoiseSettings(Map.of("d", new NoiseSettings.Profile(List.of(),
        List.of(new NoiseSettings.Daemons(null, new NoiseSettings.Spread("exponential", 1_000_000, 1_000_000),
            new NoiseSettings.Spread("uniform", 5_000, 50_000), phase)), List.of(), List.of())));
  }

  /** The time the noise of {@code cpu} steals from 100 ms of work, and when it ends. */
  private static long finish(java.util.function.IntFunction<List<NoiseSource>> noise, int cpu) {
    return new NoiseTimeline(noise.apply(cpu)).finish(0, 100_000_000);
  }

  @Test
  void alignedDaemonsWakeTogetherOnEveryCpuAndRandomOnesDoNot() {
    var aligned = NoiseProfile.of(daemons(NoiseSettings.Phase.ALIGNED), "d", 7);
    var random = NoiseProfile.of(daemons(NoiseSettings.Phase.RANDOM), "d", 7);
    assertThat(finish(aligned, 0)).isEqualTo(finish(aligned, 5)).isGreaterThan(100_000_000);
    assertThat(finish(random, 0)).isNotEqualTo(finish(random, 5));
  }

  @Test
  void aSourceWithACpuListRunsOnlyThere() {
    NoiseSettings s = new NoiseSettings(Map.of("t", new NoiseSettings.Profile(
        List.of(new NoiseSettings.Tick(CpuList.parse("1-2"), 1_000, 1_000, NoiseSettings.Phase.NODE)), List.of(),
        List.of(new NoiseSettings.Interrupts(CpuList.parse("2"), 1_000, 500)), List.of())));
    var noise = NoiseProfile.of(s, "t", 1);
    assertThat(noise.apply(0)).isEmpty();
    assertThat(noise.apply(1)).hasSize(1);
    assertThat(noise.apply(2)).hasSize(2);
    // 100 ms under a 1 kHz x 1 us tick: 100 ticks, and one more in the time they added if its phase
    // falls there
    long phase = ((PeriodicTick) noise.apply(1).get(0)).phase();
    assertThat(phase).isBetween(0L, 999_999L);
    assertThat(finish(noise, 1)).isEqualTo(100_000_000 + (phase < 100_000 ? 101_000 : 100_000));
  }

  @Test
  void builtInNamesStillWorkAndUnknownOnesFailAtOnce() {
    NoiseSettings none = new NoiseSettings(Map.of());
    assertThat(NoiseProfile.of(none, "linux-default", 1).apply(3)).hasSize(3);
    assertThatThrownBy(() -> NoiseProfile.of(none, "linux-defualt", 1))
        .hasMessageContaining("unknown noise profile 'linux-defualt'");
  }
}
