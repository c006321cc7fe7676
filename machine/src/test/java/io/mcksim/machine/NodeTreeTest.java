package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.ihk.IhkMaster;
import io.mcksim.ihk.OsStatus;
import io.mcksim.ikc.Offload;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node's supervision tree on the node model that boots through IHK: a McKernel CPU's panic is the
 * engine's crash of that CPU, which its OS instance escalates as its own failure (PANIC) to IHK's master;
 * a hang ihkmond reports is the instance's HUNGUP; the master's strategy is IHK's reboot policy
 * ({@code chaos.reboot}): restart in place after the backoff, up to its maximum, then leave it failed.
 */
class NodeTreeTest {

  private static Scenario scenario(String... more) {
    List<String> all = new ArrayList<>(List.of("run.boot=simulate", "os.linux-noise=none", "run.seed=5",
        "machine.nodes=1", "machine.cpus=12", "machine.numa=[{cpus=\"0-11\", memory=32G, linux-used=2G}]",
        "partition.instances=[{cpus=\"4-7\", memory=\"2G@0\", ikc-map=\"\"}]"));
    all.addAll(List.of(more));
    return new ScenarioLoader().load(null, all);
  }

  /** One process of two threads that compute and offload writes for a long while. */
  private static HybridModel node(Scenario s) {
    Program p = Program.named("long").repeat(2_000, b -> b.compute(50_000)
        .syscall("write", SyscallArgs.fd(1).size(64).buffer(0x10000))).exit(0).build();
    return McKernelNodes.of(s, List.of(new HybridModel.Process(p, List.of(0, 1), 0)), SyscallTable.defaultTable());
  }

  /** The states OS 0 went through, in order. */
  private static List<String> states(IhkMaster master) {
    return master.transitions().stream().map(l -> l.substring(l.indexOf(" OS 0 ") + 6)).toList();
  }

  private static long timeOf(IhkMaster master, String state, int nth) {
    return master.transitions().stream().filter(l -> l.endsWith(" OS 0 " + state)).skip(nth)
        .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).findFirst().orElseThrow();
  }

  /** When a fault is struck: 10 ms after the node has booted. */
  private static long struck(Scenario s) {
    return IhkNodes.bootAloneNs(s) + 10_000_000L;
  }

  /** Runs the node, strikes {@code fault} into entity {@code target} at {@link #struck}, and runs on for a second. */
  private static SequentialEngine.Session strike(Scenario s, HybridModel m, int target, Object fault) {
    SequentialEngine.Session session = SequentialEngine.open(m);
    session.advanceTo(struck(s));
    session.inject(target, 0, fault);
    session.advanceTo(session.now() + 1_000_000_000L);
    return session;
  }

  @Test
  void aCpusPanicIsItsInstancesPanicAndTheRebootPolicyBootsItAgainInPlace() {
    Scenario s = scenario("chaos.reboot.backoff=2ms");
    HybridModel m = node(s);
    RunResult r = strike(s, m, m.cpuEntity(0, 0), new McKernelCpu.Panic()).result();
    IhkMaster master = m.master(0);
    assertThat(states(master)).containsExactly("INACTIVE", "BOOTING", "RUNNING", "PANIC", "SHUTDOWN", "INACTIVE",
        "BOOTING", "RUNNING");
    long panic = timeOf(master, "PANIC", 0);
    long message = s.lifecycle().message();
    // the CPU's crash reaches its instance, whose escalation reaches the master: two notices
    assertThat(panic).isEqualTo(struck(s) + 2 * message);
    // the restart is due after the backoff and one message (the fresh instance is up): IHK boots it
    assertThat(timeOf(master, "BOOTING", 1)).isEqualTo(panic + 2_000_000L + message);
    assertThat(master.failures()).isEqualTo(1);
    assertThat(master.reboots()).isEqualTo(1);
    assertThat(master.ihk().status(0)).isEqualTo(OsStatus.RUNNING);
    assertThat(String.join("\n", master.ihk().kmsg(0))).contains("McKernel booted.");
    // the engine: the CPU failed, the instance failed by escalation; the instance and its children restarted
    assertThat(r.faults().failures()).isEqualTo(2);
    assertThat(r.faults().restarts()).isPositive();
    // the restarted CPUs are fresh and up
    for (int cpu = 0; cpu < 4; cpu++) {
      assertThat(m.cpu(cpu).stopped()).as("McKernel CPU %d", cpu).isFalse();
    }
    master.ihk().check();
  }

  /**
   * The restart in place is a new incarnation of the instance: mcctrl watches it from mcexec's next launch
   * on, so the rebooted kernel's own panic runs mcctrl's shutdown notifier again.
   */
  @Test
  void mcctrlWatchesTheRebootedKernelSoASecondPanicIsSeenToo() {
    Scenario s = scenario("chaos.reboot.backoff=2ms");
    HybridModel m = node(s);
    SequentialEngine.Session session = strike(s, m, m.cpuEntity(0, 0), new McKernelCpu.Panic());
    assertThat(m.mcctrl().instanceDeaths()).isEqualTo(1);
    // mcexec of the next job on the rebooted kernel
    session.inject(m.mcctrlEntity(), 0, new Offload.Launch(m.pidOf(0), List.of(0, 1)));
    session.advanceTo(session.now() + 10_000_000L);
    session.inject(m.cpuEntity(0, 1), 0, new McKernelCpu.Panic());
    session.advanceTo(session.now() + 1_000_000_000L);
    IhkMaster master = m.master(0);
    assertThat(master.failures()).isEqualTo(2);
    assertThat(master.reboots()).isEqualTo(2);
    assertThat(m.mcctrl().instanceDeaths()).as("both deaths seen").isEqualTo(2);
    master.ihk().check();
  }

  @Test
  void withoutARebootPolicyTheInstanceStaysFailedUntilTheAdministratorShutsItDown() {
    Scenario s = scenario("chaos.reboot.policy=never");
    HybridModel m = node(s);
    SequentialEngine.Session session = strike(s, m, m.cpuEntity(0, 2), new McKernelCpu.Panic());
    IhkMaster master = m.master(0);
    assertThat(states(master)).containsExactly("INACTIVE", "BOOTING", "RUNNING", "PANIC");
    assertThat(master.reboots()).isZero();
    // the administrator shuts the dead instance down (it completes at once: its CPUs died with it), then
    // mcstop+release.sh gives everything back to Linux
    session.inject(m.operatorEntity(0), 0, new io.mcksim.ihk.Operator.Job("shutdown",
        List.of(io.mcksim.ihk.Operator.Step.command("ihkosctl 0 shutdown")), false));
    session.inject(m.operatorEntity(0), 0, io.mcksim.ihk.Operator.mcstopRelease());
    session.advanceTo(session.now() + 1_000_000_000L);
    assertThat(states(master)).containsExactly("INACTIVE", "BOOTING", "RUNNING", "PANIC", "SHUTDOWN", "INACTIVE",
        "DESTROYED");
    assertThat(m.operator(0).failedJobs()).isZero();
    master.ihk().check();
  }

  @Test
  void aHangIhkmondReportsIsTheInstancesHangup() {
    Scenario s = scenario("chaos.reboot.max=0");
    HybridModel m = node(s);
    SequentialEngine.Session session = SequentialEngine.open(m);
    long t = struck(s);
    session.advanceTo(t);
    session.inject(m.cpuEntity(0, 1), 0, new McKernelCpu.Hang());
    session.advanceTo(t + 1_000_000L);
    // ihkmond has read the same counter twice: it reports the hang to IHK
    session.inject(m.masterEntity(0), 0, new IhkMaster.HangFound(0, 1));
    session.advanceTo(t + 1_000_000_000L);
    IhkMaster master = m.master(0);
    assertThat(states(master)).containsExactly("INACTIVE", "BOOTING", "RUNNING", "HUNGUP");
    assertThat(String.join("\n", master.ihk().kmsg(0))).contains("HUNGUP: McKernel CPU 1 of OS 0 makes no"
        + " progress");
    assertThat(session.result().faults().failures()).isEqualTo(1);
  }
}
