package io.mcksim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config} and {@code run} check a scenario with the same code: same verdict, same message. */
class ValidationTest {

  @TempDir
  Path dir;

  /** Scenarios that only a workload's own checks refuse, each as --set overrides. */
  static final List<List<String>> REFUSED = List.of(
      List.of("workload.type=fwq", "sweep.machine.nodes=[1, 2]"),
      List.of("workload.type=fwq", "os.model=mos"),
      List.of("workload.type=syscalls", "workload.syscalls.names=[getpid, no_such_call]"),
      List.of("workload.type=syscalls", "workload.syscalls.names=[]"),
      List.of("workload.type=syscalls", "partition.instances=[]"),
      List.of("workload.type=programs"),
      List.of("workload.type=programs", "workload.programs=[]"),
      List.of("workload.type=bsp", "workload.bsp.ranks-per-node=4096"),
      List.of("workload.type=bsp", "partition.instances=[]"),
      List.of("workload.type=bsp", "sweep.workload.bsp.ranks-per-node=[1, 4096]"),
      List.of("workload.syscalls.names=[getpid, no_such_call]"),
      List.of("workload.showcase.bsp-nodes=[1]", "workload.bsp.ranks-per-node=4096"));

  private static String[] command(String verb, List<String> sets, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of(verb));
    sets.forEach(s -> {
      args.add("--set");
      args.add(s);
    });
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void whatConfigRefusesRunRefusesWithTheSameMessageAndNothingRuns() {
    for (List<String> sets : REFUSED) {
      CliRun config = CliRun.of(command("config", sets));
      CliRun run = CliRun.of(command("run", sets, "--out", dir.resolve("r").toString()));
      assertThat(config.code()).as("config " + sets + ": " + config.err() + config.out()).isEqualTo(2);
      assertThat(run.code()).as("run " + sets + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).as(sets.toString()).isEqualTo(config.err());
      assertThat(run.out()).isEmpty();
      assertThat(dir.resolve("r")).doesNotExist();
    }
  }
}
