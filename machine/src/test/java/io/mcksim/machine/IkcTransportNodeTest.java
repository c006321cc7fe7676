package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The node model's IKC packets on the actor engine travel through its {@code IkcTransport}: one
 * lane per channel that carries traffic, none for an idle one, with the sequential engine's
 * results.
 */
class IkcTransportNodeTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final long END = Long.MAX_VALUE / 4;

  /** A node of 4 McKernel CPUs (4-7) whose one process, on McKernel CPU 1, writes 200 times. */
  private static HybridModel node() {
    Program p = Program.named("writer").repeat(200, b -> b.compute(300)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))).exit(0).build();
    return new HybridModel(IntStream.range(4, 8).boxed().toList(), "", List.of(new HybridModel.Process(p,
        List.of(1), 0)), SyscallTable.defaultTable(), S.ikc(), S.offload(), S.syscalls(), S.remoteFault(),
        S.mckernel(), S.launch(), 1).withLinuxCpus(new int[] {0, 1, 2, 3});
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void onlyTheChannelsThatCarryPacketsOpenALaneAndTheResultsEqualTheSequentialEngine(int threads) {
    HybridModel seq = node();
    RunResult a = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    HybridModel act = node();
    RunResult b = new ActorEngine().run(act, RunSpec.until(END, threads));
    assertThat(b.digest()).isEqualTo(a.digest());
    assertThat(act.cpu(1).latencies().get("write").samples())
        .containsExactly(seq.cpu(1).latencies().get("write").samples());
    assertThat(act.mcctrl().handled()).isEqualTo(seq.mcctrl().handled()).isGreaterThan(200);
    // of the instance's 6 channels (master, ikc2mckernel/0-3, ikc2linux/0), the process's CPU's two
    // carried packets: launch, wake-ups and remote faults to it, its requests and answers to Linux
    assertThat(act.streamTransport().channelsOpened()).isEqualTo(2);
    assertThat(seq.streamTransport().channelsOpened()).isZero();
  }
}
