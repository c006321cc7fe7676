package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every number has a range: out of it, a problem that names the key and the range, never a wrapped value. */
class ScenarioRangesTest {

  private final ScenarioLoader loader = new ScenarioLoader();

  private ConfigProblem onlyProblem(String... overrides) {
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> loader.load(null, List.of(overrides)));
    assertThat(e).as("%s should have been rejected", List.of(overrides)).isNotNull();
    assertThat(e.problems()).as(e.getMessage()).hasSize(1);
    return e.problems().get(0);
  }

  /** The problem with {@code key} (others may follow from it, such as CPUs missing from a bad list). */
  private ConfigProblem problemOf(String key, String... overrides) {
    ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> loader.load(null, List.of(overrides)));
    assertThat(e).as("%s should have been rejected", List.of(overrides)).isNotNull();
    return e.problems().stream().filter(p -> p.path().equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no problem with " + key + " in " + e.getMessage()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "phold.entities=2147483647 | phold.entities | 1-4194304",
      "phold.entities=-1 | phold.entities | 1-4194304",
      "phold.entities=1e30 | phold.entities | out of range",
      "phold.domains=100000 | phold.domains | 1-65536",
      "phold.population=0 | phold.population | 1-1000000",
      "run.threads=99999999999 | run.threads | 0-1024",
      "run.end-time=1e30 | run.end-time | at most 1000000s",
      "run.end-time=2000000s | run.end-time | at most 1000000s",
      "run.end-time=-5us | run.end-time | too small",
      "machine.nodes=0 | machine.nodes | 1-1000000",
      "machine.nodes=1000000 | machine.nodes | simulated CPUs",
      "machine.cpus=5000 | machine.cpus | 1-4096",
      "workload.syscalls.size=3G | workload.syscalls.size | too large",
      "workload.syscalls.size=99999999999999T | workload.syscalls.size | at most",
      "workload.syscalls.calls=0 | workload.syscalls.calls | 1-100000000",
      "workload.fwq.iterations=100000000 | workload.fwq.iterations | more virtual time",
      "workload.ftq.quanta=100000000 | workload.ftq.quanta | more virtual time",
      "workload.bsp.message-size=-1 | workload.bsp.message-size | expected a size",
      "chaos.reboot.max=1001 | chaos.reboot.max | 0-1000",
      "chaos.job.iterations=100000000 | chaos.job.iterations | more virtual time",
      "costs.mckernel.clock-mhz=0 | costs.mckernel.clock-mhz | 1-100000",
      "os.max-instances=65 | os.max-instances | 1-64",
      "interconnect.per-byte=1e9 | interconnect.per-byte | out of range",
      "workload.showcase.bsp-nodes=[1000000] | workload.showcase.bsp-nodes | simulated CPUs",
      "costs.lifecycle.boot-per-gib=1000000s | costs.lifecycle.boot-per-gib | more virtual time",
  })
  void outOfRangeNamesTheKeyAndTheRange(String set, String key, String fragment) {
    String[] sets = set.startsWith("workload.fwq") ? new String[] {set, "workload.fwq.quantum=1000000s"}
        : set.startsWith("workload.ftq") ? new String[] {set, "workload.ftq.quantum=1000000s"}
        : set.startsWith("chaos.job") ? new String[] {set, "chaos.job.quantum=1000000s"}
        : new String[] {set};

    assertThat(problemOf(key, sets).message()).contains(fragment);
  }

  @Test
  void entitiesTimesPopulationIsBounded() {
    ConfigProblem p = onlyProblem("phold.entities=4000000", "phold.population=100");

    assertThat(p.path()).isEqualTo("phold.population");
    assertThat(p.message()).contains("400,000,000 events");
  }

  @Test
  void fugakuIsAValidMachine() {
    Scenario s = loader.load(null, List.of("workload.type=bsp", "machine.nodes=158976", "machine.cpus=48",
        "machine.numa=[{cpus=\"0-47\", memory=32G, linux-used=2G}]",
        "partition.instances=[{cpus=\"4-47\", memory=\"16G@0\", ikc-map=\"\"}]"));

    assertThat((long) s.machine().nodes() * s.machine().cpus()).isEqualTo(7_630_848L);
  }

  @Test
  void theLargestMachineIsValidAndOneMoreNodeIsNot() {
    int nodes = InputLimits.MAX_SIMULATED_CPUS / 64;
    List<String> machine = List.of("machine.cpus=64", "machine.numa=[{cpus=\"0-63\", memory=16G, linux-used=1G}]",
        "partition.instances=[{cpus=\"4-63\", memory=\"8G@0\", ikc-map=\"\"}]");

    assertThat(loader.load(null, plus(machine, "machine.nodes=" + nodes)).machine().nodes()).isEqualTo(nodes);
    assertThat(onlyProblem(plus(machine, "machine.nodes=" + (nodes + 1)).toArray(String[]::new)).message())
        .contains("16,777,280 simulated CPUs");
  }

  private static List<String> plus(List<String> list, String more) {
    List<String> out = new java.util.ArrayList<>(list);
    out.add(more);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "4-2147483647 | CPU id 2147483647 is out of range; CPU ids are 0-65535",
      "4-1000000000 | CPU id 1000000000 is out of range",
      "4-99999999999999999999 | out of range",
      "-3 | is not a CPU list",
      "3-1 | runs backwards",
      "1,,2 | is not a CPU list",
      "x | is not a CPU list",
  })
  void cpuListsAreBoundedBeforeTheyAreExpanded(String text, String fragment) {
    assertThatIllegalArgumentException().isThrownBy(() -> CpuList.parse(text)).withMessageContaining(fragment);
  }

  @Test
  void aHugeCpuListInTheScenarioIsAProblem() {
    ConfigProblem p = problemOf("machine.numa[0].cpus",
        "machine.numa=[{cpus=\"4-2147483647\", memory=96G, linux-used=4G}]");

    assertThat(p.message()).contains("out of range");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "99999999999999999999999G@0 | larger than any node",
      "2G@99999999999 | NUMA node 99999999999 is out of range",
      "all@99999999999 | not a memory request",
      "0M@0 | must be positive",
  })
  void memoryRequestsAreBounded(String text, String fragment) {
    assertThatIllegalArgumentException().isThrownBy(() -> MemorySpec.parse(text)).withMessageContaining(fragment);
  }

  @Test
  void aSweepOfTooManyRunsIsAProblem() {
    ConfigProblem p = onlyProblem("sweep.machine.nodes=[1,2,3,4,5,6,7,8]", "sweep.run.seed=[" + "1,".repeat(600) + "1]");

    assertThat(p.path()).isEqualTo("sweep");
    assertThat(p.message()).contains("at most 4,096");
  }

  @Test
  void aHugeSetIsNamedShortly() {
    ConfigProblem p = problemOf("os.image", "os.image=[" + "1,".repeat(10_000) + "1]");

    assertThat(p.origin()).hasSizeLessThan(100);
    assertThat(p.message()).hasSizeLessThan(300);
  }
}
