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
    assertThat(p.ticks()).containsExactly(new NoiseSettings.Tick(null, 250, 5_000, NoiseSettings.Phase.NODE));
    assertThat(p.daemons()).containsExactly(new NoiseSettings.Daemons(CpuList.parse("0-3"),
        new NoiseSettings.Spread("exponential", 10_000_000, 10_000_000),
        new NoiseSettings.Spread("uniform", 5_000, 50_000), NoiseSettings.Phase.ALIGNED));
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
        "uniform(LOW, HIGH) needs LOW <= HIGH", "unknown key; known keys here: [daemons, injection, interrupts, tick, traces]");
  }

  private ConfigProblem problemOf(String key, String... overrides) {
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> loader.load(null, List.of(overrides)));
    assertThat(e).as("%s should have been rejected", List.of(overrides)).isNotNull();
    return e.problems().stream().filter(p -> p.path().equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no problem with " + key + " in " + e.getMessage()));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"fixed(0)", "uniform(0, 1us)", "exponential(999ns)"})
  void aGapOfLessThanAMicrosecondOnAverageIsRefused(String gap) {
    ConfigProblem p = problemOf("noise.profiles.z.daemons[0].gap",
        "noise.profiles.z.daemons = [ { gap = \"" + gap + "\", duration = \"fixed(1ns)\", phase = random, cpus = all } ]");

    assertThat(p.message()).contains("more than 1,000,000 times a second", "at least 1us");
  }

  @Test
  void daemonsBusierThanNinetyPercentAreRefused() {
    ConfigProblem p = problemOf("noise.profiles.z",
        "noise.profiles.z.daemons = [ { gap = \"fixed(1us)\", duration = \"fixed(2us)\", phase = random, cpus = all } ]");

    assertThat(p.message()).contains("keep every CPU busy 200% of the time", "at most 90%");
  }

  @Test
  void theBusiestCpuIsNamedWhenSourcesAddUpOnIt() {
    ConfigProblem p = problemOf("noise.profiles.z",
        "noise.profiles.z.interrupts = [ { rate = 500000, cost = 1us, cpus = all },"
            + " { rate = 500000, cost = 1us, cpus = \"3\" } ]");

    assertThat(p.message()).contains("keep CPU 3 busy 100% of the time");
  }

  @Test
  void busyUpToNinetyPercentIsFine() {
    Scenario s = loader.load(null, List.of(
        "noise.profiles.z.tick = [ { frequency = 1000, duration = 100us, cpus = all } ]",
        "noise.profiles.z.interrupts = [ { rate = 1000000, cost = 800ns, cpus = all } ]"));

    assertThat(s.noise().profiles()).containsKey("z");
  }

  @Test
  void aHundredMillionInterruptsASecondAreRefused() {
    ConfigProblem p = problemOf("noise.profiles.z.interrupts[0].rate",
        "noise.profiles.z.interrupts = [ { rate = 100000000, cost = 1ns, cpus = all } ]");

    assertThat(p.message()).contains("out of range", "1000000");
  }

  @Test
  void aTickAsLongAsItsPeriodIsRefused() {
    ConfigProblem p = problemOf("noise.profiles.z.tick[0].duration",
        "noise.profiles.z.tick = [ { frequency = 1000, duration = 1ms, cpus = all } ]");

    assertThat(p.message()).contains("leaves the CPU no time");
  }

  @Test
  void anEndlessTraceFileIsRefusedByTheCheck() {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/dev/zero")));

    ConfigProblem p = problemOf("noise.profiles.z.traces[0].file",
        "noise.profiles.z.traces = [ { file = \"/dev/zero\", cpus = all } ]");

    assertThat(p.message()).contains("not a regular file");
  }

  @Test
  void aTraceWithABadLineIsRefusedByTheCheckAtThatLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path trace = java.nio.file.Files.writeString(dir.resolve("n.trace"), "0 10\n100 oops\n");

    ConfigProblem p = problemOf("noise.profiles.z.traces[0].file",
        "noise.profiles.z.traces = [ { file = \"" + trace + "\", cpus = all } ]");

    assertThat(p.message()).contains(trace + ":2", "expected 'start duration'");
  }

  @Test
  void tooManySourcesAreRefused() {
    String one = "{ rate = 10, cost = 1us, cpus = all }";
    ConfigProblem p = problemOf("noise.profiles.z",
        "noise.profiles.z.interrupts = [" + String.join(", ", java.util.Collections.nCopies(300, one)) + "]");

    assertThat(p.message()).contains("more than 256 noise sources");
  }

  @Test
  void aTickIsInStepOnANodeUnlessItSaysOtherwiseAndDaemonsAreRandomByDefault() {
    Scenario s = loader.load(null, List.of(
        "noise.profiles.p.tick = [ { frequency = 250, duration = 5us, cpus = all },"
            + " { frequency = 100, duration = 1us, cpus = all, phase = random } ]",
        "noise.profiles.p.daemons = [ { gap = \"fixed(10ms)\", duration = \"fixed(5us)\", cpus = all } ]"));
    NoiseSettings.Profile p = s.noise().profiles().get("p");
    assertThat(p.ticks()).extracting(NoiseSettings.Tick::phase)
        .containsExactly(NoiseSettings.Phase.NODE, NoiseSettings.Phase.RANDOM);
    assertThat(p.daemons().get(0).phase()).isEqualTo(NoiseSettings.Phase.RANDOM);
  }

  @Test
  void anInjectionIsAPeriodicSourceGivenByFrequencyAndDurationOrNetShare() {
    Scenario byDuration = loader.load(null, List.of(
        "noise.profiles.inj.injection { frequency = 100, duration = 100us }"));
    assertThat(byDuration.noise().profiles().get("inj").ticks())
        .containsExactly(new NoiseSettings.Tick(null, 100, 100_000, NoiseSettings.Phase.RANDOM));

    Scenario byNet = loader.load(null, List.of(
        "noise.profiles.inj.injection { frequency = 1000, net = 2.5%, phase = aligned, cpus = \"0-3\" }"));
    assertThat(byNet.noise().profiles().get("inj").ticks()).containsExactly(
        new NoiseSettings.Tick(CpuList.parse("0-3"), 1000, 25_000, NoiseSettings.Phase.ALIGNED));
  }

  @Test
  void anInjectionKeyCanBeSetAndSweptLikeAnyOther() {
    Scenario s = loader.load(null, List.of("noise.profiles.inj.injection { frequency = 100, net = 1 }",
        "noise.profiles.inj.injection.frequency = 10"));
    assertThat(s.noise().profiles().get("inj").ticks().get(0).duration()).isEqualTo(1_000_000);
  }

  @Test
  void anInjectionNeedsEitherDurationOrNetAndTimeLeftForTheCpu() {
    assertThat(problemOf("noise.profiles.i.injection",
        "noise.profiles.i.injection { frequency = 100, duration = 1us, net = 1% }").message())
        .contains("either duration", "not both");
    assertThat(problemOf("noise.profiles.i.injection",
        "noise.profiles.i.injection { frequency = 100 }").message()).contains("not neither");
    assertThat(problemOf("noise.profiles.i.injection.net",
        "noise.profiles.i.injection { frequency = 100, net = 95% }").message()).contains("at most 90%");
    assertThat(problemOf("noise.profiles.i.injection.duration",
        "noise.profiles.i.injection { frequency = 1000, duration = 2ms }").message()).contains("less than the period");
    assertThat(problemOf("noise.profiles.i.injection.phase",
        "noise.profiles.i.injection { frequency = 10, net = 1, phase = sometimes }").message())
        .contains("random, node or aligned");
  }
}
