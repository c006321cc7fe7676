package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The noise section: profiles of the scenario's own, and every mistake in them at once. */
class NoiseSchemaTest {

  private final ScenarioLoader loader = new ScenarioLoader();

  @Test
  void aProfileComposesSourcesOnCpuSetsAndItsNameBecomesUsable() {
    Scenario s = loader.load(null, List.of(
        "noise.profiles.busy.tick = [ { frequency = 250, duration = 5us, cpus = all } ]",
        "noise.profiles.busy.daemons = [ { gap = \"exponential(10ms)\", duration = \"uniform(5us, 50us)\","
            + " phase = aligned, cpus = \"0-3\" } ]",
        "noise.profiles.busy.interrupts = [ { rate = 2000, cost = 1500ns, cpus = \"8\" } ]",
        "os.linux-noise = busy"));
    NoiseSettings.Profile p = s.noise().profiles().get("busy");
    assertThat(p.ticks()).containsExactly(new NoiseSettings.Tick(null, 250, 5_000));
    assertThat(p.daemons()).containsExactly(new NoiseSettings.Daemons(CpuList.parse("0-3"),
        new NoiseSettings.Spread("exponential", 10_000_000, 10_000_000),
        new NoiseSettings.Spread("uniform", 5_000, 50_000), true));
    assertThat(p.interrupts()).containsExactly(new NoiseSettings.Interrupts(CpuList.parse("8"), 2000, 1_500));
    assertThat(s.os().linuxNoise()).isEqualTo("busy");
    assertThat(s.noise().names()).contains("busy", "linux-default", "none");
  }

  @Test
  void everyMistakeIsReportedWithItsPlace() {
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> loader.load(null, List.of(
        "noise.profiles.a.daemons = [ { gap = \"poisson(3ms)\", duration = \"uniform(50us, 5us)\","
            + " phase = random, cpus = all } ]",
        "noise.profiles.a.ticks = []",
        "noise.profiles.b.tick = [ { frequency = 0, duration = 1us } ]")));
    assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
        "noise.profiles.a.daemons[0].gap", "noise.profiles.a.daemons[0].duration", "noise.profiles.a.ticks",
        "noise.profiles.b.tick[0].cpus");
    assertThat(e.getMessage()).contains("expected fixed(D), uniform(LOW, HIGH) or exponential(MEAN)",
        "uniform(LOW, HIGH) needs LOW <= HIGH", "unknown key; known keys here: [daemons, interrupts, tick, traces]");
  }
}
