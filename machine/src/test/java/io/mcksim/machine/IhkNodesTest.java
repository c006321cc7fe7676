package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.ihk.DumpFile;
import io.mcksim.ihk.IhkParts;
import io.mcksim.ihk.Operator;
import io.mcksim.ihk.OsStatus;
import io.mcksim.mckernel.McKernelCpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node model as IHK's tools drive it: the partition's job is the shell's mcreboot.sh and brings up
 * the node's own McKernel CPUs and memory partitions; a node booted alone takes the time its operator was
 * ready at; a failed boot is undone and cannot be taken for a boot time; the shell's node starts with
 * everything owned by Linux and writes its dumps only inside its folder.
 */
class IhkNodesTest {

  @TempDir
  Path dir;

  private static Scenario scenario(String... more) {
    List<String> all = new ArrayList<>(List.of("machine.nodes=1", "machine.cpus=12",
        "machine.numa=[{cpus=\"0-11\", memory=32G, linux-used=2G}]",
        "partition.instances=[{cpus=\"4-11\", memory=\"2G@0\", ikc-map=\"\"}]", "os.linux-noise=none"));
    all.addAll(List.of(more));
    return new ScenarioLoader().load(null, all);
  }

  /** The jobs given to node 0's operator, one after another, and what the console printed. */
  private static List<Operator.ConsoleLine> run(HybridModel model, List<Operator.Job> jobs) {
    SequentialEngine.Session session = SequentialEngine.open(model);
    for (Operator.Job job : jobs) {
      session.inject(model.operatorEntity(0), 0, job);
    }
    session.advanceTo(2_000_000_000L);
    assertThat(model.operator(0).idle()).isTrue();
    return model.operator(0).drainConsole();
  }

  private static List<Operator.ConsoleLine> commands(HybridModel model, String... lines) {
    List<Operator.Job> jobs = new ArrayList<>();
    for (String line : lines) {
      jobs.add(new Operator.Job(line, List.of(Operator.Step.command(line)), false));
    }
    return run(model, jobs);
  }

  @Test
  void thePartitionsJobIsTheShellsMcrebootAndBringsUpTheNodesOwnMcKernelCpus() {
    Scenario s = scenario();
    assertThat(new IhkParts(s).bootJobs()).containsExactly(Operator.mcreboot("4-11", "2G@0", "", "mckernel.img",
        s.os().kargs()));
    HybridModel n = IhkNodes.booting(s);
    new SequentialEngine().run(n, RunSpec.until(Long.MAX_VALUE / 4, 1));
    long running = n.master(0).runningSince(0);
    assertThat(running).isPositive();
    assertThat(n.operator(0).readyAt()).isGreaterThan(running)
        .isLessThanOrEqualTo(running + Operator.POLL_INTERVAL + 2 * s.lifecycle().message());
    assertThat(IhkNodes.bootAloneNs(s)).isEqualTo(n.operator(0).readyAt());
    assertThat(n.master(0).ihk().status(0)).isEqualTo(OsStatus.RUNNING);
    assertThat(String.join("\n", n.master(0).ihk().kmsg(0))).contains("CPU 7 (physical CPU 11) online");
    for (int cpu = 0; cpu < 8; cpu++) {
      assertThat(n.cpu(cpu)).as("McKernel CPU %d", cpu).isInstanceOf(McKernelCpu.class);
      assertThat(n.cpu(cpu).stopped()).isFalse();
    }
  }

  @Test
  void aBootThatFailsIsUndoneAndCannotBeTakenForABootTime() {
    Scenario s = scenario();
    HybridModel n = IhkNodes.shell(s, null);
    List<Operator.Job> jobs = new ArrayList<>(List.of(new Operator.Job("inject",
        List.of(new Operator.Step(Operator.Kind.INJECT_BOOT_FAILURE, "0 3", "")), false)));
    jobs.addAll(new IhkParts(s).bootJobs());
    List<Operator.ConsoleLine> console = run(n, jobs);
    assertThat(n.operator(0).failedJobs()).isEqualTo(1);
    assertThat(console).extracting(Operator.ConsoleLine::text)
        .anySatisfy(l -> assertThat(l).contains("did not boot: status INACTIVE"));
    assertThat(n.master(0).ihk().osInstances()).isEmpty();
  }

  @Test
  void theShellsNodeStartsOwnedByLinuxAndACpuOutsideThePartitionCannotComeUp() {
    HybridModel n = IhkNodes.shell(scenario(), null);
    List<Operator.ConsoleLine> console = commands(n, "ihkconfig 0 reserve cpu 1-2", "ihkconfig 0 reserve mem 1G@0",
        "ihkconfig 0 create", "ihkosctl 0 assign cpu 1-2", "ihkosctl 0 assign mem 1G@0",
        "ihkosctl 0 load mckernel.img", "ihkosctl 0 kargs hidos", "ihkosctl 0 boot");
    assertThat(console).noneMatch(Operator.ConsoleLine::error);
    assertThat(n.operator(0).readyAt()).isZero();
    assertThat(n.master(0).ihk().status(0)).isEqualTo(OsStatus.NOT_BOOTED);
    assertThat(String.join("\n", n.master(0).ihk().kmsg(0))).contains("CPU 0 (physical CPU 1) failed to come up:"
        + " the node has no McKernel CPU there", "boot failed");
  }

  @Test
  void theShellsDumpWritesInsideItsFolderAndRefusesEveryWayOut() throws IOException {
    Path folder = dir.resolve("dumps");
    List<Operator.ConsoleLine> console = commands(IhkNodes.shell(scenario(), folder), "ihkconfig 0 create",
        "ihkosctl 0 dump ../escaped", "ihkosctl 0 dump " + dir.resolve("absolute"), "ihkosctl 0 dump -d 24 kept");
    assertThat(console).extracting(Operator.ConsoleLine::text).containsExactly(
        "error: dump: '../escaped' is outside the dump folder " + folder.toAbsolutePath()
            + "; give a file name inside it (the folder is the shell's --out): Permission denied (EACCES)",
        "error: dump: '" + dir.resolve("absolute") + "' is outside the dump folder " + folder.toAbsolutePath()
            + "; give a file name inside it (the folder is the shell's --out): Permission denied (EACCES)",
        "dumped OS 0 to " + folder.resolve("kept"));
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).containsExactly(folder.resolve("kept"));
    }
    assertThat(DumpFile.read(folder.resolve("kept")).level()).isEqualTo(24);
  }

  @Test
  void aModelWithoutADumpFolderWritesNoDump() throws IOException {
    List<Operator.ConsoleLine> console = commands(IhkNodes.shell(scenario(), null), "ihkconfig 0 create",
        "ihkosctl 0 dump x");
    assertThat(console).extracting(Operator.ConsoleLine::text).containsExactly(
        "error: dump: this run has no dump folder; dumps are written by the shell (mcksim shell --out DIR):"
            + " Permission denied (EACCES)");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
