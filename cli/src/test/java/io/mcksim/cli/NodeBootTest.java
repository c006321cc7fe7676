package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.PartitionSettings;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.machine.HybridModel;
import io.mcksim.machine.McKernelNodes;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node boots in one time wherever it boots: on the node model every workload runs on, in the
 * showcase's boot and with the admin shell's {@code mcreboot.sh}, all through the same IHK entities and
 * the same script.
 */
class NodeBootTest {

  private static Scenario scenario(String boot) {
    return new ScenarioLoader().load(null, List.of("machine.nodes=1", "run.boot=" + boot));
  }

  private static HybridModel node(Scenario s) {
    Program p = Program.named("p").syscall("getpid").syscall("write").exit(0).build();
    return McKernelNodes.of(s, List.of(new HybridModel.Process(p, List.of(0), 0)), SyscallTable.defaultTable());
  }

  @Test
  void theNodeModelTheShowcaseAndTheShellBootANodeInTheSameTime(@TempDir Path dir) {
    Scenario s = scenario("simulate");
    HybridModel node = node(s);
    Engine.named("sequential").run(node, RunSpec.until(Long.MAX_VALUE / 4, 1));
    ShowcaseRun.Boot showcase = ShowcaseRun.boot(s);

    assertThat(showcase.transitions().stream().map(t -> t.timeNs() + " OS " + t.os() + " " + t.state()))
        .containsExactlyElementsOf(node.master(0).transitions());
    assertThat(showcase.bootNs()).as("BOOTING to RUNNING").isBetween(300_000_000L, 330_000_000L);
    assertThat(showcase.readyNs()).isEqualTo(node.operator(0).readyAt());
    assertThat(node.bootNs()).isEqualTo(showcase.readyNs() + s.lifecycle().message())
        .isEqualTo(node(scenario("booted")).bootNs());

    PartitionSettings.Instance inst = s.partition().instances().get(0);
    String mcreboot = "mcreboot.sh -c " + inst.cpus() + " -m " + inst.memory()
        + (inst.ikcMap().isBlank() ? "" : " -r " + inst.ikcMap()) + " -k " + s.os().kargs();
    CliRun shell = CliRun.withInput(mcreboot + "\ntime\nihkosctl 0 get status\n", "shell", "--out",
        dir.resolve("dumps").toString());
    assertThat(shell.code()).as(shell.out()).isZero();
    assertThat(shell.out()).contains("$ time\n" + Units.time(showcase.readyNs()) + "\n", "RUNNING");
  }
}
