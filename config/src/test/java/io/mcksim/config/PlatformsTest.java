package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code platform = ...}: the platforms' blocks layered between the defaults and the scenario. */
class PlatformsTest {

  @TempDir
  Path dir;

  private final ScenarioLoader loader = new ScenarioLoader();

  private Scenario load(String text, String... overrides) throws IOException {
    Path file = dir.resolve("s.conf");
    Files.writeString(file, text);
    return loader.load(file, List.of(overrides));
  }

  @Test
  void ofpIsAKnightsLandingNodeWithMcKernelOn64Cores() throws IOException {
    Scenario s = load("platform = ofp\n");

    assertThat(s.machine().cpus()).isEqualTo(68);
    assertThat(s.machine().numa()).hasSize(2);
    assertThat(s.partition().instances().get(0).cpus()).isEqualTo(CpuList.range(4, 67));
    assertThat(s.mckernel().clockMhz()).isEqualTo(1400);
    assertThat(s.os().linuxNoise()).isEqualTo("linux-default");
    assertThat(s.interconnect().perByteNs()).isEqualTo(0.08);
  }

  @Test
  void fugakuIsAnA64fxNodeOfFourCmgsWithMcKernelOnTheComputeCores() throws IOException {
    Scenario s = load("platform = fugaku\n");

    assertThat(s.machine().cpus()).isEqualTo(50);
    assertThat(s.machine().numa()).extracting(MachineSettings.Numa::memory).containsOnly(8L << 30);
    assertThat(s.partition().instances().get(0).cpus()).isEqualTo(CpuList.range(2, 49));
    assertThat(s.mckernel().clockMhz()).isEqualTo(2000);
    assertThat(s.os().linuxNoise()).isEqualTo("linux-tuned");
    assertThat(s.interconnect().latencyNs()).isEqualTo(490);
  }

  @Test
  void anAliasSelectsTheSamePlatform() throws IOException {
    assertThat(load("platform = a64fx\n").config().withoutPath("platform"))
        .isEqualTo(load("platform = fugaku\n").config().withoutPath("platform"));
    assertThat(load("platform = KNL\n").config().withoutPath("platform"))
        .isEqualTo(load("platform = ofp\n").config().withoutPath("platform"));
  }

  @Test
  void theScenarioAndSetStillWin() throws IOException {
    Scenario s = load("platform = fugaku\ninterconnect.latency = 2us\n", "costs.mckernel.clock-mhz=2200");

    assertThat(s.interconnect().latencyNs()).isEqualTo(2_000);
    assertThat(s.mckernel().clockMhz()).isEqualTo(2200);
    assertThat(s.interconnect().perByteNs()).isEqualTo(0.157);
  }

  @Test
  void setSelectsAPlatformAndWhereEachValueCameFromIsShown() throws IOException {
    Scenario s = loader.load(null, List.of("platform=fugaku"));

    assertThat(s.machine().cpus()).isEqualTo(50);
    assertThat(s.render()).containsPattern("machine\\.cpus = 50 +# platform fugaku:\\d+");
  }

  @Test
  void noneIsTheDefaults() throws IOException {
    assertThat(load("platform = none\n").config().withoutPath("platform"))
        .isEqualTo(loader.defaults().config().withoutPath("platform"));
  }

  @Test
  void anUnknownPlatformIsRefusedNamingTheKnownOnes() throws IOException {
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> load("\nplatform = fugako\n"));

    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.origin()).endsWith("s.conf:2");
      assertThat(p.path()).isEqualTo("platform");
      assertThat(p.message()).contains("unknown platform 'fugako'", "ofp (alias knl)", "fugaku (alias a64fx)",
          "none", "did you mean 'fugaku'?");
    });
  }

  @Test
  void aPlatformIsAName() throws IOException {
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> load("platform = [ofp]\n"));

    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("expected a platform"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ofp", "fugaku"})
  void everyKeyOfAPlatformIsAScenarioKey(String name) {
    Config defaults = ConfigFactory.defaultReference().getConfig("mcksim.scenario");
    for (Map.Entry<String, ?> e : Platforms.block(name).entrySet()) {
      assertThat(defaults.hasPathOrNull(e.getKey())).as(name + ": " + e.getKey()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ofp", "fugaku"})
  void aPlatformsScenarioReadsBackFromItsText(String name) throws IOException {
    Scenario s = load("platform = " + name + "\n");

    assertThat(loader.loadText(s.text(), "worker").config()).isEqualTo(s.config());
  }

  @Test
  void aSweepMayVaryThePlatform() throws IOException {
    Scenario s = load("sweep.platform = [ofp, fugaku]\n");

    assertThat(s.sweep().values()).containsEntry("platform", List.of("\"ofp\"", "\"fugaku\""));
    assertThat(Platforms.names()).containsExactly("ofp", "fugaku");
  }
}
