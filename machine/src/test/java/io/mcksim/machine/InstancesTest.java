package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node of two OS instances: each has its own McKernel CPUs, memory, process table, IKC channels, mcctrl
 * side and proxies; its offloads go through its own channels to the Linux CPUs of its own IKC map.
 */
class InstancesTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final long END = Long.MAX_VALUE / 4;
  private static final long MEMORY = 1L << 30;

  /** Offloaded writes, {@code calls} of them, each after 1 us of compute. */
  private static Program writer(String name, int calls) {
    return Program.named(name).repeat(calls, b -> b.compute(1_000)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))).exit(0).build();
  }

  /**
   * Instance 0 on CPUs 4-7 and instance 1 on CPUs 8-11, with IKC maps {@code map0} and {@code map1}
   * ({@code L} stands for the instance's CPUs), the Linux CPUs 0-3 quiet.
   */
  private static HybridModel node(String map0, String map1, List<HybridModel.Process> processes) {
    List<HybridModel.Instance> instances = List.of(
        new HybridModel.Instance(List.of(4, 5, 6, 7), map0.replace("L", "4-7"), new long[] {MEMORY}),
        new HybridModel.Instance(List.of(8, 9, 10, 11), map1.replace("L", "8-11"), new long[] {MEMORY}));
    return new HybridModel(instances, processes, 2, false, SyscallTable.defaultTable(), S.ikc(), S.offload(),
        S.syscalls(), S.remoteFault(), S.mckernel(), S.launch(), 1).withLinuxCpus(new int[] {0, 1, 2, 3});
  }

  /** Four writers on instance 0's CPUs, {@code busy} calls each, and one on instance 1's CPU 0. */
  private static List<HybridModel.Process> busyAndOne(int busy) {
    List<HybridModel.Process> ps = new ArrayList<>();
    for (int c = 0; c < 4 && busy > 0; c++) {
      ps.add(new HybridModel.Process(writer("busy-" + c, busy), List.of(c), 0));
    }
    ps.add(new HybridModel.Process(writer("other", 50), List.of(0), 0).onInstance(1));
    return ps;
  }

  private static long[] otherLatencies(HybridModel m) {
    return m.cpu(1, 0).latencies().get("write").samples();
  }

  @Test
  void eachInstanceHasItsOwnCpusProcessesPidsChannelsAndProxies() {
    HybridModel m = node("L:1", "L:2", busyAndOne(10));
    assertThat(m.instances()).isEqualTo(2);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    // pids: instance 0's four processes and two spare slots, then instance 1's
    assertThat(m.pidOf(0)).isEqualTo(HybridModel.FIRST_PID);
    assertThat(m.pidOf(4)).isEqualTo(HybridModel.FIRST_PID + 6);
    assertThat(m.cpu(1, 0).threads().get(0).pid()).isEqualTo(HybridModel.FIRST_PID + 6);
    assertThat(m.cpu(1, 0).threads().get(0).exitStatus()).isZero();
    assertThat(m.proxyOf(4).served()).isEqualTo(50);
    assertThat(m.processOf(4).pageFaults()).as("its buffer page, resolved for its proxy").isEqualTo(1);
    // each mcctrl side reads only its instance's channels: the launch's ack, the calls, one fault answer
    assertThat(m.mcctrl(0).handled()).isEqualTo(4 * (1 + 10 + 1));
    assertThat(m.mcctrl(1).handled()).isEqualTo(1 + 50 + 1);
    // the entities are distinct: McKernel CPU 0 of each instance, each instance's process table
    assertThat(m.cpuEntity(0, 1, 0)).isNotEqualTo(m.cpuEntity(0, 0, 0));
    assertThat(m.processTableEntity(0, 1)).isNotEqualTo(m.processTableEntity(0, 0));
    // mcexec binds each proxy to its instance's IKC target: instance 0's workers ran on Linux CPU 1 only,
    // instance 1's on Linux CPU 2 only
    assertThat(m.linuxService(0).jobs()).isZero();
    assertThat(m.linuxService(1).jobs()).isPositive();
    assertThat(m.linuxService(2).jobs()).isGreaterThanOrEqualTo(50);
    assertThat(m.linuxService(3).jobs()).isZero();
  }

  @Test
  void aBusyInstanceDoesNotDelayTheOthersOffloadsWhenTheirIkcMapsDiffer() {
    HybridModel alone = node("L:1", "L:2", busyAndOne(0));
    new SequentialEngine().run(alone, RunSpec.until(END, 1));
    HybridModel busy = node("L:1", "L:2", busyAndOne(200));
    new SequentialEngine().run(busy, RunSpec.until(END, 1));
    assertThat(busy.linuxService(1).waitNs()).as("instance 0's workers queue on its Linux CPU").isPositive();
    assertThat(busy.linuxService(2).waitNs()).isZero();
    assertThat(otherLatencies(busy)).containsExactly(otherLatencies(alone));

    // with both maps onto Linux CPU 1, instance 1's proxy works there too and waits behind instance 0's
    HybridModel sharing = node("L:1", "L:1", busyAndOne(200));
    new SequentialEngine().run(sharing, RunSpec.until(END, 1));
    long sum = java.util.Arrays.stream(otherLatencies(sharing)).sum();
    assertThat(sum).isGreaterThan(java.util.Arrays.stream(otherLatencies(alone)).sum());
  }

  @Test
  void aTwoInstanceNodeGivesOneDigestOnEveryEngine() {
    String digest = new SequentialEngine().run(node("L:1", "L:2", busyAndOne(20)), RunSpec.until(END, 1))
        .digest();
    for (int threads : new int[] {1, 2, 4}) {
      assertThat(new ActorEngine().run(node("L:1", "L:2", busyAndOne(20)), RunSpec.until(END, threads))
          .digest()).as("actor engine, %d threads, seed 1", threads).isEqualTo(digest);
    }
  }

  @Test
  void aProcessOnAnInstanceTheNodeLacksOrBeyondItsCpusIsRefused() {
    Program p = writer("p", 1);
    assertThatThrownBy(() -> node("", "", List.of(new HybridModel.Process(p, List.of(0), 0).onInstance(2))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OS instance 2");
    assertThatThrownBy(() -> node("", "", List.of(new HybridModel.Process(p, List.of(4), 0).onInstance(1))))
        .hasMessageContaining("process 0 runs on McKernel CPU 4, but instance 1 has CPUs 0-3");
  }

  @Test
  void bothInstancesBootThroughIhksVerbsBeforeTheirProcessesLaunch() {
    String partition = "partition.instances=[{cpus = \"4-35\", memory = \"8G@0\", ikc-map = \"4-35:1\"}, "
        + "{cpus = \"36-67\", memory = \"8G@0\", ikc-map = \"36-67:2\"}]";
    List<HybridModel.Process> ps = List.of(new HybridModel.Process(writer("a", 3), List.of(0), 0),
        new HybridModel.Process(writer("b", 3), List.of(0), 0).onInstance(1));
    Scenario simulate = new ScenarioLoader().load(null, List.of(partition, "run.boot=simulate"));
    HybridModel m = McKernelNodes.of(simulate, ps, SyscallTable.defaultTable());
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    // mcreboot.sh boots OS 0, then OS 1, each through create, assign, load, kargs and boot
    assertThat(m.master(0).transitions()).extracting(l -> l.substring(l.indexOf(' ') + 1))
        .containsSubsequence("OS 0 BOOTING", "OS 0 RUNNING", "OS 1 BOOTING", "OS 1 RUNNING");
    assertThat(m.operator(0).readyAt()).isGreaterThan(0);
    for (int os = 0; os < 2; os++) {
      McKernelCpu.McThread t = m.cpu(os, 0).threads().get(0);
      assertThat(t.startTime()).as("OS %d's process", os).isGreaterThan(m.bootNs());
      assertThat(t.exitStatus()).isZero();
    }
    // a node that starts booted takes the same boot time, computed once from the same verbs
    Scenario booted = new ScenarioLoader().load(null, List.of(partition, "run.boot=booted"));
    assertThat(McKernelNodes.of(booted, ps, SyscallTable.defaultTable()).bootNs()).isEqualTo(m.bootNs());
    // and two instances take longer to boot than the first alone
    Scenario one = new ScenarioLoader().load(null, List.of("partition.instances=[{cpus = \"4-35\", "
        + "memory = \"8G@0\", ikc-map = \"4-35:1\"}]", "run.boot=booted"));
    assertThat(McKernelNodes.of(one, ps.subList(0, 1), SyscallTable.defaultTable()).bootNs())
        .isLessThan(m.bootNs());
  }

  @Test
  void bspRanksAreDealtToTheInstancesInTurnEachOnItsOwnCpusWithOneDigestOnEveryEngine() {
    Scenario s = new ScenarioLoader().load(null, List.of(
        "partition.instances=[{cpus = \"4-7\", memory = \"1G@0\", ikc-map = \"4-7:1\"}, "
            + "{cpus = \"8-13\", memory = \"1G@0\", ikc-map = \"8-13:2\"}]",
        "workload.type=bsp", "workload.bsp.ranks-per-node=4", "workload.bsp.iterations=3",
        "workload.bsp.syscalls=[write]", "workload.bsp.memory=8K", "machine.nodes=3", "os.linux-noise=none"));
    // 4 ranks on 2 instances: ranks 0 and 2 on instance 0 (4 CPUs), 1 and 3 on instance 1 (6 CPUs);
    // threads-per-rank = 0 gives each rank the fewest CPUs any rank gets: 2
    io.mcksim.machine.bsp.BspPlan plan = io.mcksim.machine.bsp.BspSetup.plan(s);
    assertThat(plan.threadsPerRank()).isEqualTo(2);
    assertThat(plan.appCpus()).containsExactly(4, 5, 8, 9, 6, 7, 10, 11);
    io.mcksim.machine.bsp.BspNodes m = io.mcksim.machine.bsp.BspNodes.of(s);
    String digest = new SequentialEngine().run(m, RunSpec.until(END, 1)).digest();
    HybridModel nodes = m.model();
    assertThat(m.outcome().unfinished()).isZero();
    assertThat(m.outcome().offloads()).isEqualTo(3 * 4 * 2 * 3); // nodes x ranks x threads x iterations
    // rank 1 of node 0 is instance 1's first process, on its McKernel CPUs 0 and 1, with its own pid
    assertThat(nodes.cpu(1, 1).threads()).extracting(McKernelCpu.McThread::pid)
        .containsExactly(nodes.pidOf(1));
    assertThat(nodes.pidOf(1)).isEqualTo(HybridModel.FIRST_PID + 2); // after instance 0's two ranks
    assertThat(nodes.mcctrl(1).handled()).isPositive();
    for (int threads : new int[] {1, 2, 4}) {
      assertThat(new ActorEngine().run(io.mcksim.machine.bsp.BspNodes.of(s), RunSpec.until(END, threads))
          .digest()).as("actor engine, %d threads, seed 1", threads).isEqualTo(digest);
    }
    // a rank does not fit an instance: the message names the instance and the keys
    Scenario tight = new ScenarioLoader().load(null, List.of(
        "partition.instances=[{cpus = \"4-7\", memory = \"1G@0\", ikc-map = \"\"}, "
            + "{cpus = \"8-9\", memory = \"1G@0\", ikc-map = \"\"}]",
        "workload.type=bsp", "workload.bsp.ranks-per-node=2", "workload.bsp.threads-per-rank=3"));
    assertThatThrownBy(() -> io.mcksim.machine.bsp.BspSetup.plan(tight)).hasMessageContaining(
        "workload.bsp: 1 of the 2 ranks per node (dealt to the 2 OS instances in turn) x 3 threads need more "
            + "than the 2 CPUs of partition.instances[1].cpus");
  }

  @Test
  void theWorkloadsNodeBuildsEveryInstanceOfThePartition() {
    Scenario s = new ScenarioLoader().loadText("partition.instances = ["
        + "{cpus = \"4-35\", memory = \"8G@0\", ikc-map = \"4-35:1\"}, "
        + "{cpus = \"36-67\", memory = \"8G@0\", ikc-map = \"36-67:2\"}]", "two-instances");
    HybridModel m = McKernelNodes.of(s, List.of(new HybridModel.Process(writer("a", 3), List.of(31), 0)
        .onInstance(1)), SyscallTable.defaultTable());
    assertThat(m.instances()).isEqualTo(2);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(m.cpu(1, 31).threads().get(0).exitStatus()).isZero();
    // the Linux CPUs are those the partition leaves to Linux; instance 1's proxy works on CPU 2
    assertThat(m.linuxServiceCount()).isEqualTo(4);
    assertThat(m.linuxService(2).jobs()).isPositive();
  }
}
