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

/**
 * The other HPC OS designs on the full node model: each call's path costs exactly its documented stages
 * on a quiet node, and a crash takes what each design's architecture shares with the crashed part.
 */
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

  /**
   * A quiet run under each design on the full node model takes exactly its quanta, its calls at their
   * documented stages, the barriers and the collective, except where the node model is truer: under
   * McKernel the two threads' requests meet in mcctrl's interrupt handler (all IKC interrupts go to
   * Linux CPU 0 by default), so the second waits there once an iteration (from then on the two stay that
   * far apart, and their next requests no longer meet).
   */
  @Test
  void aQuietRunUnderEachModelTakesExactlyItsQuantaAndItsCallsAndCountsWhatFailed() {
    for (String os : List.of("linux", "argo", "mckernel", "mos", "hobbes", "l4linux")) {
      Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "machine.nodes=2", "os.model=" + os,
          "os.linux-noise=none", "os.models.argo.noise=none", "os.models.l4linux.noise=none",
          "workload.bsp.iterations=4", "workload.bsp.threads-per-rank=2", "workload.bsp.quantum=\"fixed(100us)\"",
          "workload.bsp.syscalls=[write, getpid, uname]", "workload.bsp.collective=barrier"));
      BspApplication m = BspSetup.application(s);
      assertThat(m).as(os).isInstanceOf(BspNodes.class);
      Engine.named("sequential").run(m, RunSpec.until(Long.MAX_VALUE / 2, 1));
      long calls = call(os, "write").uncontendedNs() + call(os, "getpid").uncontendedNs()
          + call(os, "uname").uncontendedNs();
      long barrier = 2 * 200;
      long collective = io.mcksim.workloads.net.Collective.BARRIER.closedFormNs(2,
          new io.mcksim.workloads.net.LogGP(1_000, 200, 100, 0.08), 8);
      long handler = os.equals("mckernel") ? s.ikc().ipi() + s.offload().mcctrlDispatch() : 0;
      assertThat(m.idealNs()).as(os).isEqualTo(4 * (100_000 + calls + barrier + collective));
      assertThat(m.outcome().runtimeNs()).as(os).isEqualTo(m.idealNs() + 4 * handler);
      assertThat(m.outcome().calls()).isEqualTo(2 * 2 * 4 * 3);
      assertThat(m.outcome().failedCalls()).as(os).isEqualTo(os.equals("hobbes") ? 2 * 2 * 4 : 0);
      long leave = switch (os) {
        case "linux", "argo" -> 0; // native
        case "hobbes" -> 1; // write is a remote call; getpid is Kitten's, uname fails
        case "mos" -> 2; // getpid is the LWK's own
        case "mckernel" -> 2; // getpid is local
        default -> 3; // l4linux: every call by IPC to the server
      };
      assertThat(m.outcome().offloads()).as(os).isEqualTo(2 * 2 * 4 * leave);
    }
  }

  @Test
  void callsRunWhereEachModelRunsThem() {
    assertThat(call("mckernel", "getpid")).isEqualTo(BspPlan.Call.inPlace("getpid", "local", 40));
    assertThat(call("linux", "write")).isEqualTo(BspPlan.Call.inPlace("write", "native", 1_100));
    // the stages the syscalls microbenchmark reports for an offloaded write: 3450ns on idle CPUs
    assertThat(call("mckernel", "write").where()).isEqualTo("offloaded");
    assertThat(call("mckernel", "write").uncontendedNs()).isEqualTo(3_450);
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
      BspOutcome o = m.outcome();
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

  /** Two nodes of one rank of two threads, 4 iterations of 100 us and a write and a getpid each. */
  static BspCrash.Report crashed(String os, String part) {
    Scenario s = new ScenarioLoader().load(null, List.of("workload.type=bsp", "machine.nodes=2", "os.model=" + os,
        "os.linux-noise=none", "os.models.argo.noise=none", "os.models.l4linux.noise=none",
        "workload.bsp.iterations=4", "workload.bsp.threads-per-rank=2", "workload.bsp.quantum=\"fixed(100us)\"",
        "workload.bsp.syscalls=[write, getpid]", "workload.bsp.collective=barrier"));
    BspNodes clean = BspNodes.of(s);
    Engine.named("sequential").run(clean, RunSpec.until(Long.MAX_VALUE / 2, 1));
    long start = clean.outcome().startNs();
    assertThat(clean.outcome().runtimeNs()).as(os).isBetween(400_000L, 450_000L);
    // in the second iteration; read at four times the clean run's end
    return BspCrash.run(s, part, 0, start + 150_000, start + 4 * clean.outcome().runtimeNs());
  }

  /**
   * Each design's crash columns on the full node model, read from the entities after the run: McKernel
   * and Hobbes run their own kernel beside Linux (an LWK panic kills the application and spares Linux);
   * a Linux crash spares their LWK, McKernel's threads then wait forever for their next offloaded call
   * and Kitten's remote calls fail, so its application runs on; mOS shares one kernel and L4Linux's
   * application belongs to the Linux server, so either crash takes everything; Linux and Argo have no
   * LWK, and their Linux's crash takes the application.
   */
  @Test
  void anInjectedCrashTakesWhatEachDesignSharesWithTheCrashedPart() {
    Map<String, String> lwk = new java.util.LinkedHashMap<>();
    Map<String, String> linux = new java.util.LinkedHashMap<>();
    for (String os : List.of("linux", "argo", "l4linux", "mos", "hobbes", "mckernel")) {
      BspCrash.Report r = crashed(os, "lwk");
      lwk.put(os, r == null ? "no LWK" : r.summary());
      assertThat(crashed(os, "lwk")).as(os + ": the same every time").isEqualTo(r);
      BspCrash.Report l = crashed(os, "linux");
      linux.put(os, l.summary());
      assertThat(crashed(os, "linux")).as(os + ": the same every time").isEqualTo(l);
    }
    assertThat(lwk).containsExactly(Map.entry("linux", "no LWK"), Map.entry("argo", "no LWK"),
        Map.entry("l4linux", "application killed, Linux down"), Map.entry("mos", "application killed, Linux down"),
        Map.entry("hobbes", "application killed, Linux runs on"),
        Map.entry("mckernel", "application killed, Linux runs on"));
    assertThat(linux).containsExactly(Map.entry("linux", "application killed, Linux down"),
        Map.entry("argo", "application killed, Linux down"), Map.entry("l4linux", "application killed, Linux down"),
        Map.entry("mos", "application killed, Linux down"), Map.entry("hobbes", "application runs on, Linux down"),
        Map.entry("mckernel", "application stalls, Linux down"));
  }

  @Test
  void aCrashLeavesWhatTheRealPathsGive() {
    // McKernel, LWK: both threads of node 0 lost their CPUs; node 1 waits for the dead rank in the barrier
    BspCrash.Report lwk = crashed("mckernel", "lwk");
    assertThat(lwk.killed()).isEqualTo(2);
    assertThat(lwk.othersFinished()).as("the other node waits for the dead rank").isZero();
    assertThat(lwk.stalled()).isEqualTo(2);
    // McKernel, Linux: nobody is killed, nobody finishes: node 0's threads wait for their offloads forever
    BspCrash.Report linux = crashed("mckernel", "linux");
    assertThat(linux.killed()).isZero();
    assertThat(linux.finished()).isZero();
    assertThat(linux.linuxAlive()).isFalse();
    // Hobbes, Linux: the writes after the crash fail (2 threads x 2 iterations and a half at most)
    BspCrash.Report hobbes = crashed("hobbes", "linux");
    assertThat(hobbes.applicationSurvived()).isTrue();
    assertThat(hobbes.failedCalls()).isBetween(4L, 6L);
  }
}
