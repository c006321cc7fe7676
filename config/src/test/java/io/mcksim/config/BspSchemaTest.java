package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workload.bsp, interconnect and sweep: read, defaulted, and refused with the place and the fix. */
class BspSchemaTest {

  private final ScenarioLoader loader = new ScenarioLoader();

  @TempDir
  Path dir;

  private List<ConfigProblem> problems(String content) throws IOException {
    Path file = dir.resolve("s.conf");
    Files.writeString(file, content);
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> loader.load(file, List.of()));
    assertThat(e).as("the scenario should have been rejected").isNotNull();
    return e.problems();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    Scenario s = loader.defaults();
    WorkloadSettings.Bsp b = s.workload().bsp();
    assertThat(b.iterations()).isEqualTo(10);
    assertThat(b.quantum()).isEqualTo(new NoiseSettings.Spread("fixed", 1_000_000, 1_000_000));
    assertThat(b.collective()).isEqualTo("allreduce-recursive-doubling");
    assertThat(b.messageSize()).isEqualTo(8);
    assertThat(s.interconnect()).isEqualTo(new InterconnectSettings(1_000, 200, 100, 0.08, 300));
    assertThat(s.sweep().isEmpty()).isTrue();
  }

  @Test
  void aSweepListsValuesOfScenarioKeysInKeyOrder() {
    Scenario s = loader.load(null, List.of("sweep.os.model=[linux, mckernel]", "sweep.machine.nodes=[1, 4]"));
    assertThat(s.sweep().keys()).containsExactly("machine.nodes", "os.model");
    assertThat(s.sweep().values().get("machine.nodes")).containsExactly("1", "4");
    assertThat(s.sweep().values().get("os.model")).as("HOCON text, ready for --set").containsExactly("\"linux\"", "\"mckernel\"");
  }

  @Test
  void zippedKeysVaryTogetherAndTheOthersOverEveryCombination() {
    Scenario s = loader.load(null, List.of("sweep.machine.nodes=[1, 4]",
        "sweep.workload.bsp.iterations=[10, 20, 30]", "sweep.workload.bsp.quantum=[\"fixed(3ms)\", \"fixed(2ms)\","
            + " \"fixed(1ms)\"]", "sweep.zip=[[workload.bsp.quantum, workload.bsp.iterations]]"));
    Sweep w = s.sweep();
    assertThat(w.dimensions()).containsExactly(List.of("machine.nodes"),
        List.of("workload.bsp.quantum", "workload.bsp.iterations"));
    assertThat(w.keys()).containsExactly("machine.nodes", "workload.bsp.quantum", "workload.bsp.iterations");
    assertThat(w.runs()).isEqualTo(6);
    assertThat(w.combinations()).hasSize(6);
    assertThat(w.combinations().get(4)).containsExactly(java.util.Map.entry("machine.nodes", "4"),
        java.util.Map.entry("workload.bsp.quantum", "\"fixed(2ms)\""), java.util.Map.entry("workload.bsp.iterations", "20"));
  }

  @Test
  void aZipOfListsOfDifferentLengthsOrOfKeysNotSweptIsRefused() throws IOException {
    List<ConfigProblem> p = problems("sweep {\n  machine.nodes = [1, 2]\n  os.model = [linux]\n"
        + "  zip = [[machine.nodes, os.model], [machine.nodes, run.seed]]\n}\n");
    assertThat(p).extracting(ConfigProblem::path).containsExactly("sweep.zip[0]", "sweep.zip[1]");
    assertThat(p.get(0).message()).contains("lists of one length");
    assertThat(p.get(1).message()).contains("'run.seed' is not a key of this sweep");
  }

  @Test
  void aSweepOfAnUnknownKeyOrOfNoListIsRefusedWhereItIs() throws IOException {
    List<ConfigProblem> p = problems("sweep {\n  machine.nodez = [1, 2]\n  os.model = linux\n}\n");
    assertThat(p).hasSize(2);
    assertThat(p.get(0).path()).isEqualTo("sweep.machine.nodez");
    assertThat(p.get(0).origin()).endsWith("s.conf:2");
    assertThat(p.get(0).message()).contains("did you mean 'machine.nodes'");
    assertThat(p.get(1).path()).isEqualTo("sweep.os.model");
    assertThat(p.get(1).message()).contains("expected a non-empty list");
  }

  @Test
  void badBspValuesNameTheirKey() throws IOException {
    List<ConfigProblem> p = problems("workload.bsp { collective = alltoall, quantum = \"normal(1ms)\" }\n"
        + "interconnect.latency = 0\n");
    assertThat(p).extracting(ConfigProblem::path).containsExactlyInAnyOrder("workload.bsp.collective",
        "workload.bsp.quantum", "interconnect.latency");
    assertThat(p).filteredOn(x -> x.path().equals("workload.bsp.collective")).first()
        .satisfies(x -> assertThat(x.message()).contains("allreduce-tree"));
  }
}
