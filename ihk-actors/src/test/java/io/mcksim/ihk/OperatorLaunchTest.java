package io.mcksim.ihk;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.engine.SimModel;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator launches a node's workload once the jobs it started with have all succeeded, never after
 * a failed one; the partition's job is the shell's mcreboot.sh; a node booted alone takes the time its
 * operator was ready at.
 */
class OperatorLaunchTest {

  private static Scenario scenario(String... more) {
    List<String> all = new ArrayList<>(List.of("machine.nodes=1", "machine.cpus=12",
        "machine.numa=[{cpus=\"0-11\", memory=32G, linux-used=2G}]",
        "partition.instances=[{cpus=\"4-11\", memory=\"2G@0\", ikc-map=\"\"}]"));
    all.addAll(List.of(more));
    return new ScenarioLoader().load(null, all);
  }

  /** One IHK node whose operator starts with {@code jobs} and notes when its launcher runs. */
  private static final class Node implements SimModel {
    final IhkParts parts;
    final NodeLayout.Machine layout;
    final List<Operator.Job> jobs;
    final List<Long> launches = new ArrayList<>();
    final SimEntity[] entities;

    Node(Scenario s, List<Operator.Job> jobs) {
      this.parts = new IhkParts(s);
      this.layout = new NodeLayout.Machine(1, parts.maxInstances(), parts.cpus(), parts.numaNodes());
      this.jobs = jobs;
      this.entities = new SimEntity[layout.entityCount()];
    }

    @Override
    public String name() {
      return "operator-launch";
    }

    @Override
    public long seed() {
      return 1;
    }

    @Override
    public int entityCount() {
      return layout.entityCount();
    }

    @Override
    public int domainCount() {
      return 1;
    }

    @Override
    public int domainOf(int entity) {
      return 0;
    }

    @Override
    public long lookahead() {
      return parts.costs().message();
    }

    @Override
    public long localLookahead() {
      return parts.costs().message();
    }

    @Override
    public SimEntity createEntity(int id) {
      int slots = layout.maxInstances();
      SimEntity e;
      if (id == 0) {
        e = new Operator(0, layout, parts.costs(), jobs, ctx -> launches.add(ctx.now()));
      } else if (id == 1) {
        e = parts.master(0, layout);
      } else if (id < 2 + slots) {
        e = parts.instance(0, id - 2, layout);
      } else if (id < 2 + slots + layout.cpus()) {
        e = parts.cpu(id - 2 - slots);
      } else {
        e = parts.memory(id - 2 - slots - layout.cpus());
      }
      entities[id] = e;
      return e;
    }

    Operator operator() {
      return (Operator) entities[0];
    }

    IhkMaster master() {
      return (IhkMaster) entities[1];
    }

    Node run() {
      new SequentialEngine().run(this, RunSpec.until(Long.MAX_VALUE / 4, 1));
      return this;
    }
  }

  @Test
  void thePartitionsJobIsTheShellsMcrebootAndItsWorkloadStartsOnceItHasSeenRunning() {
    Scenario s = scenario();
    assertThat(new IhkParts(s).bootJobs()).containsExactly(Operator.mcreboot("4-11", "2G@0", "", "mckernel.img",
        s.os().kargs()));
    Node n = new Node(s, new IhkParts(s).bootJobs()).run();
    long running = n.master().runningSince(0);
    assertThat(running).isPositive();
    assertThat(n.operator().readyAt()).isGreaterThan(running)
        .isLessThanOrEqualTo(running + Operator.POLL_INTERVAL + 2 * s.lifecycle().message());
    assertThat(n.launches).containsExactly(n.operator().readyAt());
    assertThat(new IhkParts(s).bootAloneNs()).isEqualTo(n.operator().readyAt());
    assertThat(n.master().ihk().status(0)).isEqualTo(OsStatus.RUNNING);
  }

  @Test
  void aBootThatFailsLaunchesNothingAndCannotBeTakenForABootTime() {
    Scenario s = scenario();
    Operator.Job inject = new Operator.Job("inject", List.of(new Operator.Step(Operator.Kind.INJECT_BOOT_FAILURE,
        "0 3", "")), false);
    List<Operator.Job> jobs = new ArrayList<>(List.of(inject));
    jobs.addAll(new IhkParts(s).bootJobs());
    Node n = new Node(s, jobs).run();
    assertThat(n.operator().failedJobs()).isEqualTo(1);
    assertThat(n.operator().readyAt()).isEqualTo(-1);
    assertThat(n.launches).isEmpty();
    // the script undid its steps: the instance is gone, every CPU and byte back with Linux
    assertThat(n.operator().drainConsole()).extracting(Operator.ConsoleLine::text)
        .anySatisfy(l -> assertThat(l).contains("did not boot: status INACTIVE"));
    assertThat(n.master().ihk().osInstances()).isEmpty();
  }

  @Test
  void anOperatorWithoutJobsLaunchesAtOnce() {
    Node n = new Node(scenario(), List.of()).run();
    assertThat(n.launches).containsExactly(0L);
    assertThat(n.operator().readyAt()).isZero();
  }
}
