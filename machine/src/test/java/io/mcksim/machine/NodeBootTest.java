package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.ihk.IhkMaster;
import io.mcksim.ihk.OsStatus;
import io.mcksim.machine.bsp.BspNodes;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every node of the node model boots through IHK's verbs before its processes launch ({@code run.boot =
 * simulate}), or starts booted with the boot's cost computed once ({@code booted}): both give the same
 * boot time and the same workload, apart from the boot's offset, and every engine one digest.
 */
class NodeBootTest {

  private static final long END = Long.MAX_VALUE / 4;

  static Scenario scenario(String boot, String... more) {
    List<String> all = new ArrayList<>(List.of("run.boot=" + boot, "os.linux-noise=none", "run.seed=3"));
    all.addAll(List.of(more));
    return new ScenarioLoader().load(null, all);
  }

  /** Two processes: one offloads writes (with a remote fault), one calls locally and computes. */
  static HybridModel node(Scenario s) {
    Program writer = Program.named("writer").repeat(20, b -> b.compute(700)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))).exit(0).build();
    Program local = Program.named("local").repeat(50, b -> b.compute(300).syscall("getpid")).exit(0).build();
    return McKernelNodes.of(s, List.of(new HybridModel.Process(writer, List.of(0), 0),
        new HybridModel.Process(local, List.of(1), 0)), SyscallTable.defaultTable());
  }

  static long timeOf(IhkMaster master, String state) {
    return master.transitions().stream().filter(l -> l.endsWith(" OS 0 " + state))
        .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + state + " in " + master.transitions()));
  }

  @Test
  void aSimulatedBootRunsMcrebootThenMcexecAndTakesTheTimeOfANodeBootedAlone() {
    Scenario s = scenario("simulate");
    HybridModel m = node(s);
    Engine.named("sequential").run(m, RunSpec.until(END, 1));
    IhkMaster master = m.master(0);
    assertThat(master.ihk().status(0)).isEqualTo(OsStatus.RUNNING);
    assertThat(master.transitions()).extracting(l -> l.substring(l.indexOf(' ') + 1))
        .containsExactly("OS 0 INACTIVE", "OS 0 BOOTING", "OS 0 RUNNING");
    long running = timeOf(master, "RUNNING");
    long ready = m.operator(0).readyAt();
    // mcreboot.sh returns once its poll of the status has seen RUNNING; then the job runs mcexec
    assertThat(ready).isGreaterThan(running);
    assertThat(m.bootNs()).isEqualTo(ready + s.lifecycle().message())
        .isEqualTo(IhkNodes.bootAloneNs(s) + s.lifecycle().message())
        .isEqualTo(node(scenario("booted")).bootNs());
    for (int cpu = 0; cpu < 2; cpu++) {
      McKernelCpu.McThread t = m.cpu(cpu).threads().get(0);
      assertThat(t.startTime()).as("McKernel CPU %d", cpu).isGreaterThan(m.bootNs());
      assertThat(t.exitStatus()).isZero();
    }
  }

  @Test
  void bootedAndSimulatedGiveTheSameWorkloadApartFromTheBootsOffset() {
    HybridModel booted = node(scenario("booted"));
    RunResult b = Engine.named("sequential").run(booted, RunSpec.until(END, 1));
    HybridModel simulated = node(scenario("simulate"));
    RunResult sim = Engine.named("sequential").run(simulated, RunSpec.until(END, 1));
    long offset = simulated.bootNs();
    assertThat(offset).isPositive().isEqualTo(booted.bootNs());
    assertThat(sim.virtualEndNs()).isEqualTo(b.virtualEndNs() + offset);
    for (int cpu = 0; cpu < 2; cpu++) {
      McKernelCpu.McThread tb = booted.cpu(cpu).threads().get(0);
      McKernelCpu.McThread ts = simulated.cpu(cpu).threads().get(0);
      assertThat(ts.startTime()).as("CPU %d", cpu).isEqualTo(tb.startTime() + offset);
      assertThat(ts.exitTime()).as("CPU %d", cpu).isEqualTo(tb.exitTime() + offset);
      Map<String, LatencyLog> lb = booted.cpu(cpu).latencies();
      Map<String, LatencyLog> ls = simulated.cpu(cpu).latencies();
      assertThat(ls.keySet()).isEqualTo(lb.keySet());
      for (String call : lb.keySet()) {
        assertThat(ls.get(call).samples()).as("%s on CPU %d", call, cpu).containsExactly(lb.get(call).samples());
      }
    }
    assertThat(simulated.proxy(0).served()).isEqualTo(booted.proxy(0).served()).isEqualTo(20);
    assertThat(simulated.proxy(0).remoteFaults()).isEqualTo(booted.proxy(0).remoteFaults());
  }

  static Scenario bsp(String boot) {
    return scenario(boot, "workload.type=bsp", "os.model=mckernel", "machine.nodes=4",
        "workload.bsp.threads-per-rank=2", "workload.bsp.iterations=2", "workload.bsp.syscalls=[getpid, write]",
        "workload.bsp.quantum=\"uniform(100us, 200us)\"");
  }

  @Test
  void aBspApplicationCountsItsTimeFromItsThreadsStartUnderEitherBoot() {
    BspNodes booted = BspNodes.of(bsp("booted"));
    Engine.named("sequential").run(booted, RunSpec.until(END, 1));
    BspNodes simulated = BspNodes.of(bsp("simulate"));
    Engine.named("sequential").run(simulated, RunSpec.until(END, 1));
    // the same application, started later: every figure but the absolute start equal
    assertThat(simulated.outcome()).usingRecursiveComparison().ignoringFields("startNs", "iterationEndNs")
        .isEqualTo(booted.outcome());
    assertThat(simulated.outcome().iterationNs()).containsExactly(booted.outcome().iterationNs());
    assertThat(simulated.outcome().startNs() - booted.outcome().startNs()).isEqualTo(simulated.model().bootNs());
    assertThat(simulated.outcome().unfinished()).isZero();
    for (int node = 0; node < 4; node++) {
      assertThat(simulated.model().operator(node).readyAt()).as("node %d", node)
          .isEqualTo(simulated.model().operator(0).readyAt());
    }
    assertThat(simulated.model().bootNs()).isEqualTo(booted.model().bootNs());
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 4})
  void aMachineThatBootsGivesOneDigestOnEveryEngineAndThreadCount(int threads) {
    Scenario s = bsp("simulate");
    RunResult seq = Engine.named("sequential").run(BspNodes.of(s), RunSpec.until(END, 1));
    BspNodes actors = BspNodes.of(s);
    RunResult act = Engine.named("actors").run(actors, RunSpec.until(END, threads));
    assertThat(act.digest()).as("seed 3, %d threads", threads).isEqualTo(seq.digest());
    assertThat(act.events()).isEqualTo(seq.events());
    assertThat(actors.model().bootNs()).isPositive();
  }
}
