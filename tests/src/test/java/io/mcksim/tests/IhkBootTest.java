package io.mcksim.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.LifecycleCosts;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.ihk.IhkMaster;
import io.mcksim.ihk.OsStatus;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.IhkNodes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Booting a machine's partition follows the configured lifecycle costs exactly, and gives the same
 * times and the same digest on every engine and thread count.
 */
class IhkBootTest {

  private static Scenario scenario(int nodes, String... extra) {
    List<String> overrides = new java.util.ArrayList<>(List.of("machine.nodes=" + nodes));
    overrides.addAll(List.of(extra));
    return new ScenarioLoader().load(null, overrides);
  }

  /** The closed form of OsInstance: message + base + memory steps + CPU steps + report. */
  private static long expectedBoot(Scenario s) {
    LifecycleCosts c = s.lifecycle();
    long t = c.message() + c.bootBase();
    var inst = s.partition().instances().get(0);
    for (int n = 0; n < s.machine().numa().size(); n++) {
      long bytes = inst.memory().bytesOn(n);
      if (bytes > 0) {
        t += 2 * c.message() + (bytes >> 20) * c.bootPerGib() / 1024;
      }
    }
    t += inst.cpus().size() * (2 * c.message() + c.bootPerCpu());
    return t + c.message();
  }

  private static long timeOf(IhkMaster master, String state) {
    return master.transitions().stream()
        .filter(l -> l.endsWith(" OS 0 " + state))
        .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' '))))
        .findFirst().orElseThrow(() -> new AssertionError("no " + state + " in " + master.transitions()));
  }

  @Test
  void theDefaultNodeBootsInExactlyTheConfiguredTime() {
    Scenario s = scenario(1);
    HybridModel model = IhkNodes.booting(s);
    RunResult r = new SequentialEngine().run(model, RunSpec.until(2_000_000_000L, 1));
    IhkMaster master = model.master(0);
    assertThat(master.ihk().status(0)).isEqualTo(OsStatus.RUNNING);
    long booting = timeOf(master, "BOOTING");
    long running = timeOf(master, "RUNNING");
    assertThat(running - booting).isEqualTo(expectedBoot(s));
    // 64 CPUs x (1 ms + 2 us) + 46 GiB x 5 ms + 20 ms + messages: about a third of a second
    assertThat(running - booting).isBetween(300_000_000L, 330_000_000L);
    assertThat(model.operator(0).failedJobs()).isZero();
    assertThat(String.join("\n", master.ihk().kmsg(0)))
        .contains("IHK/McKernel started.", "NUMA 0: 32G of memory initialised",
            "CPU 63 (physical CPU 67) online", "McKernel booted.");
    master.ihk().check();
    assertThat(r.events()).isPositive();
  }

  @Test
  void otherCostsGiveTheirOwnExactBootTime() {
    Scenario s = scenario(1, "costs.lifecycle.message=3us", "costs.lifecycle.boot-base=7ms",
        "costs.lifecycle.boot-per-cpu=250us", "costs.lifecycle.boot-per-gib=1ms",
        "partition.instances=[{cpus=\"8-15,20\", memory=\"1G@0,512M@1\", ikc-map=\"\"}]");
    HybridModel model = IhkNodes.booting(s);
    new SequentialEngine().run(model, RunSpec.until(1_000_000_000L, 1));
    IhkMaster master = model.master(0);
    assertThat(timeOf(master, "RUNNING") - timeOf(master, "BOOTING")).isEqualTo(expectedBoot(s))
        .isEqualTo(3_000 + 7_000_000 + (6_000 + 1_000_000) + (6_000 + 500_000) + 9 * (6_000 + 250_000)
            + 3_000);
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 4})
  void bootTimesAndDigestAreTheSameOnEveryEngineAndThreadCount(int threads) {
    Scenario s = scenario(16);
    HybridModel oracle = IhkNodes.booting(s);
    RunResult seq = new SequentialEngine().run(oracle, RunSpec.until(1_000_000_000L, 1));
    HybridModel model = IhkNodes.booting(s);
    RunResult act = new ActorEngine().run(model, RunSpec.until(1_000_000_000L, threads));
    assertThat(act.digest()).isEqualTo(seq.digest());
    assertThat(act.events()).isEqualTo(seq.events());
    for (int node = 0; node < 16; node++) {
      assertThat(model.master(node).transitions()).as("node %d", node)
          .isEqualTo(oracle.master(node).transitions());
      assertThat(model.master(node).runningSince(0)).as("node %d", node)
          .isEqualTo(oracle.master(node).runningSince(0)).isPositive();
    }
  }
}
