package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.actors.engine.Supervision;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The supervision tree's recovery is deterministic: panics struck into two of three booted nodes, with
 * IHK's reboot policy restarting their instances, give one digest, one event count and the same IHK
 * transitions on the sequential engine and on the actor engine with 1, 2 and 4 threads.
 */
class NodeTreeDeterminismTest {

  /** The node model and one entity more, on node {@code node}'s domain, that strikes a panic at a given time. */
  private static final class Struck implements SimModel {
    final HybridModel nodes;
    final long[] at;

    Struck(HybridModel nodes, long[] at) {
      this.nodes = nodes;
      this.at = at;
    }

    @Override
    public String name() {
      return nodes.name();
    }

    @Override
    public long seed() {
      return nodes.seed();
    }

    @Override
    public int entityCount() {
      return nodes.entityCount() + at.length;
    }

    @Override
    public int domainCount() {
      return nodes.domainCount();
    }

    @Override
    public int domainOf(int entity) {
      return entity < nodes.entityCount() ? nodes.domainOf(entity) : entity - nodes.entityCount();
    }

    @Override
    public long lookahead() {
      return nodes.lookahead();
    }

    @Override
    public long localLookahead() {
      return nodes.localLookahead();
    }

    @Override
    public Supervision supervision(int id) {
      return id < nodes.entityCount() ? nodes.supervision(id) : null;
    }

    @Override
    public SimEntity createEntity(int id) {
      if (id < nodes.entityCount()) {
        return nodes.createEntity(id);
      }
      int node = id - nodes.entityCount();
      return new SimEntity() {
        @Override
        public void start(SimContext ctx) {
          if (at[node] > 0) {
            ctx.send(nodes.cpuEntity(node, 1), at[node], 0, new McKernelCpu.Panic());
          }
        }

        @Override
        public void onEvent(SimContext ctx, int source, long data, Object payload) {}
      };
    }
  }

  private static Struck model() {
    Scenario s = new ScenarioLoader().load(null, List.of("run.boot=simulate", "os.linux-noise=none", "run.seed=7",
        "machine.cpus=12", "machine.numa=[{cpus=\"0-11\", memory=32G, linux-used=2G}]",
        "partition.instances=[{cpus=\"4-7\", memory=\"2G@0\", ikc-map=\"\"}]", "chaos.reboot.backoff=1ms"));
    Program p = Program.named("writer").repeat(300, b -> b.compute(20_000)
        .syscall("write", SyscallArgs.fd(1).size(16_384).buffer(0x100000))).exit(0).build();
    HybridModel m = McKernelNodes.of(s, List.of(new HybridModel.Process(p, List.of(0, 1), 0)),
        SyscallTable.defaultTable()).withNodes(3);
    long boot = IhkNodes.bootAloneNs(s);
    return new Struck(m, new long[] {boot + 3_000_000L, 0, boot + 5_000_123L});
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 4})
  void panicsAndRebootsGiveOneDigestOnEveryEngine(int threads) {
    Struck seq = model();
    RunResult a = Engine.named("sequential").run(seq, RunSpec.until(2_000_000_000L, 1));
    Struck act = model();
    RunResult b = Engine.named("actors").run(act, RunSpec.until(2_000_000_000L, threads));
    assertThat(b.digest()).as("seed 7, %d threads", threads).isEqualTo(a.digest());
    assertThat(b.events()).isEqualTo(a.events());
    assertThat(b.faults()).isEqualTo(a.faults());
    assertThat(a.faults().failures()).isEqualTo(4);
    for (int node = 0; node < 3; node++) {
      assertThat(act.nodes.master(node).transitions()).as("node %d", node)
          .isEqualTo(seq.nodes.master(node).transitions());
      assertThat(seq.nodes.master(node).reboots()).isEqualTo(node == 1 ? 0 : 1);
    }
  }
}
