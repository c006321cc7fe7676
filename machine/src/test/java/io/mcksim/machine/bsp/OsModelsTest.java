package io.mcksim.machine.bsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.SyscallTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The other HPC OS designs: each call's path costs exactly its documented stages on a quiet node. */
class OsModelsTest {

  static final Scenario S = new ScenarioLoader().defaults();
  static final SyscallTable TABLE = SyscallTable.defaultTable();

  static BspPlan.Call call(String os, String name) {
    return BspSetup.call(S, os, TABLE, name);
  }

  @Test
  void everyModelsWriteCostsItsDocumentedStages() {
    long entry = S.syscalls().linuxEntry(); // 100
    long write = S.syscalls().linux("write"); // 1000
    long ipi = S.ikc().ipi(); // 200
    Map<String, Long> expected = Map.of(
        "linux", entry + write,                                    // native
        "argo", entry + write,                                     // native, in a container
        "mckernel", 3_450L,                                        // the offload's stages
        "mos", 2_000 + (entry + write) + 2_000L,                   // migrate, native call, migrate back
        "hobbes", 1_000 + ipi + write + ipi,                       // shared buffer + IPI, service, IPI back
        "l4linux", 700 + (entry + write) + 700L);                  // IPC, the server's call, IPC back
    expected.forEach((os, ns) -> assertThat(call(os, "write").uncontendedNs()).as(os).isEqualTo(ns));
    assertThat(call("mos", "write").where()).isEqualTo("migrated");
    assertThat(call("hobbes", "write").where()).isEqualTo("remote");
    assertThat(call("l4linux", "write").where()).isEqualTo("ipc");
  }

  @Test
  void lightweightKernelsKeepTheirOwnCallsAndHobbesRefusesWhatItLacks() {
    assertThat(call("mos", "futex")).isEqualTo(BspPlan.Call.inPlace("futex", "local", S.syscalls().local("futex")));
    assertThat(call("hobbes", "mmap")).isEqualTo(BspPlan.Call.inPlace("mmap", "local", S.syscalls().local("mmap")));
    // uname is neither Kitten's nor a remote call: ENOSYS, at Kitten's cost of saying so
    BspPlan.Call uname = call("hobbes", "uname");
    assertThat(uname.failed()).isTrue();
    assertThat(uname.uncontendedNs()).isEqualTo(100);
    assertThat(call("mos", "uname").failed()).isFalse();
    assertThat(call("mckernel", "uname").where()).isEqualTo("offloaded");
  }

  @Test
  void aQuietRunUnderEachModelTakesExactlyItsQuantaAndItsCallsAndCountsWhatFailed() {
    for (String os : List.of("linux", "argo", "mckernel", "mos", "hobbes", "l4linux")) {
      Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "machine.nodes=2", "os.model=" + os,
          "os.linux-noise=none", "os.models.argo.noise=none", "workload.bsp.iterations=4",
          "workload.bsp.threads-per-rank=2", "workload.bsp.quantum=\"fixed(100us)\"",
          "workload.bsp.syscalls=[write, getpid, uname]", "workload.bsp.collective=barrier"));
      BspMachine m = BspSetup.machine(s);
      Engine.named("sequential").run(m, RunSpec.until(Long.MAX_VALUE / 2, 1));
      long calls = call(os, "write").uncontendedNs() + call(os, "getpid").uncontendedNs()
          + call(os, "uname").uncontendedNs();
      // two threads per node, each on a Linux CPU of its own when its calls leave (the node has four)
      long barrier = 2 * 200;
      long collective = io.mcksim.workloads.net.Collective.BARRIER.closedFormNs(2,
          new io.mcksim.workloads.net.LogGP(1_000, 200, 100, 0.08), 8);
      assertThat(m.outcome().runtimeNs()).as(os).isEqualTo(4 * (100_000 + calls + barrier + collective))
          .isEqualTo(m.idealNs());
      assertThat(m.outcome().calls()).isEqualTo(2 * 2 * 4 * 3);
      assertThat(m.outcome().failedCalls()).as(os).isEqualTo(os.equals("hobbes") ? 2 * 2 * 4 : 0);
    }
  }

  /**
   * The lightweight kernels' designs on the full node model take exactly the stand-in's quiet figures,
   * except where the node model is truer: under McKernel the two threads' requests meet in mcctrl's
   * interrupt handler (all IKC interrupts go to Linux CPU 0 by default), so the second waits there once
   * an iteration.
   */
  @Test
  void onTheFullNodeModelEachLightweightKernelDesignTakesItsQuantaCallsAndQueues() {
    for (String os : BspNodes.LWK_DESIGNS) {
      Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "machine.nodes=2", "os.model=" + os,
          "os.linux-noise=none", "workload.bsp.iterations=4",
          "workload.bsp.threads-per-rank=2", "workload.bsp.quantum=\"fixed(100us)\"",
          "workload.bsp.syscalls=[write, getpid, uname]", "workload.bsp.collective=barrier"));
      BspApplication m = BspSetup.application(s);
      assertThat(m).as(os).isInstanceOf(BspNodes.class);
      Engine.named("sequential").run(m, RunSpec.until(Long.MAX_VALUE / 2, 1));
      BspMachine stand = BspSetup.machine(s);
      Engine.named("sequential").run(stand, RunSpec.until(Long.MAX_VALUE / 2, 1));
      // the second thread's first request (write) waits for the first's in the handler; from then on the two
      // stay that far apart, and their next requests (uname) no longer meet
      long handler = os.equals("mckernel") ? s.ikc().ipi() + s.offload().mcctrlDispatch() : 0;
      assertThat(m.outcome().runtimeNs()).as(os).isEqualTo(stand.outcome().runtimeNs() + 4 * handler);
      assertThat(m.idealNs()).isEqualTo(stand.idealNs());
      assertThat(m.outcome().calls()).isEqualTo(2 * 2 * 4 * 3);
      assertThat(m.outcome().failedCalls()).as(os).isEqualTo(stand.outcome().failedCalls());
      assertThat(m.outcome().offloads()).as(os).isEqualTo(stand.outcome().offloads());
    }
  }

  /**
   * compare-os's device mapping on the full node model: every thread opens a device, sets it up and maps
   * it. McKernel offloads all three to the proxy, mOS migrates the mmap to Linux, L4Linux asks its server,
   * Linux and Argo call the driver in place; Kitten has no Linux drivers, so under Hobbes the open is a
   * remote call and the ioctl and the mmap fail with ENOSYS, every time.
   */
  @Test
  void aDeviceMappingOnTheFullNodeModelIsUsableUnderEveryDesignButHobbes() {
    for (String os : List.of("linux", "argo", "l4linux", "mos", "hobbes", "mckernel")) {
      Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "machine.nodes=1", "os.model=" + os,
          "workload.bsp.iterations=2", "workload.bsp.threads-per-rank=2"));
      List<BspPlan.Call> calls = BspSetup.deviceMapping(s, os);
      BspApplication m = BspSetup.application(s, calls);
      assertThat(m).as(os).isInstanceOf(BspNodes.class);
      assertThat(m.plan().calls()).isEqualTo(calls);
      Engine.named("sequential").run(m, RunSpec.until(Long.MAX_VALUE / 2, 1));
      BspMachine.Outcome o = m.outcome();
      assertThat(o.unfinished()).as(os).isZero();
      assertThat(o.calls()).as(os).isEqualTo(2 * 2 * 3);
      assertThat(o.failedCalls()).as(os).isEqualTo(os.equals("hobbes") ? 2 * 2 * 2 : 0);
      long reachLinux = calls.stream().filter(BspPlan.Call::offloaded).count();
      assertThat(reachLinux).as(os).isEqualTo(switch (os) {
        case "linux", "argo" -> 0L; // the driver, in place
        case "hobbes" -> 1L; // only the open, a remote call
        default -> 3L; // offloaded, migrated, or by IPC to the server
      });
      if (BspNodes.LWK_DESIGNS.contains(os)) {
        assertThat(o.offloads()).as(os + ": the calls that left the LWK's CPU").isEqualTo(2 * 2 * reachLinux);
      }
    }
  }

  static BspMachine.CrashReport crashed(String os, String part) {
    Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "machine.nodes=2", "os.model=" + os,
        "os.linux-noise=none", "os.models.argo.noise=none", "workload.bsp.iterations=4",
        "workload.bsp.threads-per-rank=2", "workload.bsp.quantum=\"fixed(100us)\"",
        "workload.bsp.syscalls=[write, getpid]", "workload.bsp.collective=barrier"));
    BspMachine.Crash c = BspSetup.crash(os, part, 0, 150_000); // in the second iteration
    if (c == null) {
      return null;
    }
    BspMachine m = BspSetup.machine(s).withCrash(c);
    Engine.named("sequential").run(m, RunSpec.until(Long.MAX_VALUE / 2, 1));
    return m.crashReport();
  }

  @Test
  void anInjectedCrashTakesWhatEachDesignSharesWithTheCrashedPart() {
    // McKernel: an LWK crash kills the application and spares Linux; the other node waits in the barrier
    BspMachine.CrashReport lwk = crashed("mckernel", "lwk");
    assertThat(lwk.crashedNodeKilled()).isEqualTo(2);
    assertThat(lwk.linuxAlive()).isTrue();
    assertThat(lwk.othersFinished()).as("the other node waits for the dead rank").isZero();
    assertThat(lwk.applicationSurvived()).isFalse();
    // McKernel: a Linux crash spares the LWK; the application waits forever for its next offload
    BspMachine.CrashReport linux = crashed("mckernel", "linux");
    assertThat(linux.crashedNodeKilled()).isZero();
    assertThat(linux.crashedNodeFinished()).isZero();
    assertThat(linux.linuxAlive()).isFalse();
    // Hobbes: a Linux crash spares Kitten, whose remote calls now fail, and the application runs on
    BspMachine.CrashReport hobbes = crashed("hobbes", "linux");
    assertThat(hobbes.applicationSurvived()).isTrue();
    assertThat(hobbes.failedCalls()).as("writes after the crash").isPositive();
    assertThat(hobbes.linuxAlive()).isFalse();
    // mOS: one kernel; its LWK's crash is the node's
    BspMachine.CrashReport mos = crashed("mos", "lwk");
    assertThat(mos.crashedNodeKilled()).isEqualTo(2);
    assertThat(mos.linuxAlive()).isFalse();
    // Linux has no lightweight kernel to crash, and its own crash takes the application
    assertThat(crashed("linux", "lwk")).isNull();
    assertThat(crashed("linux", "linux").crashedNodeKilled()).isEqualTo(2);
    assertThat(crashed("l4linux", "linux").crashedNodeKilled()).isEqualTo(2);
  }
}
