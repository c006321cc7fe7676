package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.ihk.IhkMaster;
import io.mcksim.ihk.Operator;
import io.mcksim.ihk.OsStatus;
import io.mcksim.ikc.FaultRule;
import io.mcksim.ikc.IkcSender;
import io.mcksim.ikc.Offload;
import io.mcksim.ikc.PacketType;
import io.mcksim.linux.Mcctrl;
import io.mcksim.linux.ProxyProcess;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.McProcess;
import io.mcksim.mckernel.MemoryPartition;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A McKernel panic struck at each crash point of the node model that boots through IHK (issue 20): during
 * a remote page fault, during an offloaded call in flight, during mcexec's launch, during boot and during
 * shutdown. Each test checks the recovery path IHK takes (its status steps, every one legal or the run
 * fails), how mcexec ended (SIGKILL: its parent sees 137), and, after recovery, that resources are back: every CPU and byte
 * where IHK's books say, every IKC credit of mcctrl's rings to McKernel, every McKernel byte free.
 */
class NodeCrashPointsTest {

  private static final long SECOND = 1_000_000_000L;

  private static Scenario scenario(String... more) {
    List<String> all = new ArrayList<>(List.of("run.boot=simulate", "os.linux-noise=none", "run.seed=11",
        "machine.nodes=1", "machine.cpus=12", "machine.numa=[{cpus=\"0-11\", memory=32G, linux-used=2G}]",
        "partition.instances=[{cpus=\"4-7\", memory=\"2G@0\", ikc-map=\"\"}]", "chaos.reboot.backoff=1ms"));
    all.addAll(List.of(more));
    return new ScenarioLoader().load(null, all);
  }

  /** One process of two threads that compute and write 64 KiB buffers (offloaded, with remote faults). */
  private static HybridModel node(Scenario s) {
    Program p = Program.named("writer").repeat(200, b -> b.compute(20_000)
        .syscall("write", SyscallArgs.fd(1).size(65_536).buffer(0x100000))).exit(0).build();
    return McKernelNodes.of(s, List.of(new HybridModel.Process(p, List.of(0, 1), 0)), SyscallTable.defaultTable());
  }

  /** Runs one event at a time until {@code when} holds (or fails the test after a second of virtual time). */
  private static void until(SequentialEngine.Session session, BooleanSupplier when) {
    long limit = session.now() + SECOND;
    while (!when.getAsBoolean()) {
      long next = session.nextEventTime();
      assertThat(next).as("the moment to strike never came").isLessThan(limit);
      session.advanceTo(next);
    }
  }

  private static List<String> states(IhkMaster master) {
    return master.transitions().stream().map(l -> l.substring(l.indexOf(" OS 0 ") + 6)).toList();
  }

  /** The checks after recovery: IHK's books, mcctrl's rings with every credit, McKernel's memory all free. */
  private static void resourcesBack(HybridModel m) {
    IhkMaster master = m.master(0);
    master.ihk().check();
    Mcctrl mcctrl = m.mcctrl();
    for (IkcSender s : mcctrl.senders()) {
      assertThat(s.credits()).as("credits of channel %d", s.channel()).isEqualTo(s.share());
      assertThat(s.waiting()).isZero();
    }
    // the restarted kernel's memory: free but for what its (fresh, not launched) process slots hold
    MemoryPartition numa0 = m.partition(0);
    long held = 0;
    for (int slot = 0; slot < HybridModel.DEFAULT_SPARE_SLOTS + 1; slot++) {
      held += m.process(slot).heldBytes();
    }
    assertThat(numa0.free() + held).isEqualTo(numa0.capacity());
  }

  /** The common path after a panic of a running instance: PANIC, shut down, booted again by the policy. */
  private static final List<String> REBOOTED = List.of("INACTIVE", "BOOTING", "RUNNING", "PANIC", "SHUTDOWN",
      "INACTIVE", "BOOTING", "RUNNING");

  /** Strikes a panic into McKernel CPU 0 once {@code when} holds; runs a second more. */
  private static HybridModel panicWhen(Scenario s, java.util.function.Function<HybridModel, BooleanSupplier> when) {
    HybridModel m = node(s);
    SequentialEngine.Session session = SequentialEngine.open(m);
    until(session, when.apply(m));
    session.inject(m.cpuEntity(0, 0), 0, new McKernelCpu.Panic());
    session.advanceTo(session.now() + SECOND);
    return m;
  }

  @Test
  void aPanicDuringARemotePageFaultEndsMcexecAndTheRebootedNodeHasEveryCreditBack() {
    HybridModel m = panicWhen(scenario(), n -> () -> n.created(n.proxyEntity(0)) && n.proxy(0).remoteFaults() == 1);
    assertThat(states(m.master(0))).isEqualTo(REBOOTED);
    ProxyProcess proxy = m.proxy(0);
    assertThat(proxy.processLost()).isTrue();
    assertThat(proxy.exitSignal()).isEqualTo(9);
    assertThat(m.mcctrl().instanceDeaths()).isEqualTo(1);
    // the fault in flight was mcctrl's ask of McKernel: it ended with the asked CPU's death, and every
    // other fault's ask was answered
    Mcctrl mcctrl = m.mcctrl();
    assertThat(mcctrl.faultsTargetDied()).isEqualTo(1);
    assertThat(mcctrl.faultsTimedOut()).isZero();
    assertThat(mcctrl.faultsAnswered() + mcctrl.faultsTargetDied()).isEqualTo(mcctrl.faultAsks());
    resourcesBack(m);
  }

  /** Runs until a McKernel CPU of the process holds mcctrl's ask for a remote fault; returns that CPU. */
  private static int untilAFaultIsAsked(SequentialEngine.Session session, HybridModel m) {
    int[] asked = {-1};
    until(session, () -> {
      for (int cpu = 0; cpu < 2 && m.created(m.proxyEntity(0)); cpu++) {
        if (m.created(m.cpuEntity(0, cpu)) && m.cpu(0, cpu).remoteFaultsInFlight() == 1) {
          asked[0] = cpu;
          return true;
        }
      }
      return false;
    });
    return asked[0];
  }

  /** Runs until mcctrl asks a McKernel CPU to resolve a fault, and has the IKC drop that CPU's answer. */
  private static void loseAFaultAnswer(SequentialEngine.Session session, HybridModel m) {
    int cpu = untilAFaultIsAsked(session, m);
    session.inject(m.cpuEntity(0, cpu), 0, new McKernelCpu.IkcFault(FaultRule.at(FaultRule.Fault.DROP, -1,
        PacketType.REMOTE_PAGE_FAULT_ANSWER, session.now(), 0)));
  }

  @Test
  void aRemoteFaultsAskFailsAtTheAskedCpusDeathAndTheWorkerWaitsUntilMcexecIsKilled() {
    Scenario s = scenario();
    HybridModel m = node(s);
    SequentialEngine.Session session = SequentialEngine.open(m);
    int cpu = untilAFaultIsAsked(session, m);
    long panicAt = session.now();
    session.inject(m.cpuEntity(0, cpu), 0, new McKernelCpu.Panic());
    Mcctrl mcctrl = m.mcctrl();
    until(session, () -> mcctrl.faultsTargetDied() == 1);
    // mcctrl learns of the death at its virtual time: the CPU died holding the ask, the request's IKC
    // latency back; the wait's descriptor is dropped
    assertThat(session.now()).isEqualTo(panicAt + s.ikc().latency());
    // (the other thread's fault, asked of a CPU still alive, still waits for its answer)
    assertThat(mcctrl.faultWaiters()).isEqualTo(mcctrl.faultAsks() - mcctrl.faultsAnswered() - 1);
    // as in the driver, the faulting worker is not woken: it still holds its call
    ProxyProcess proxy = m.proxy(0);
    assertThat(proxy.exitTime()).isEqualTo(-1);
    assertThat(proxy.idleWorkers()).isLessThan(proxy.workers());
    // until mcexec's watch of its process (dead with its kernel) ends it by SIGKILL
    session.advanceTo(session.now() + SECOND);
    assertThat(proxy.processLost()).isTrue();
    assertThat(proxy.exitSignal()).isEqualTo(9);
    assertThat(proxy.idleWorkers()).isEqualTo(proxy.workers());
    assertThat(mcctrl.faultsAnswered() + mcctrl.faultsTargetDied() + mcctrl.faultsTimedOut())
        .isEqualTo(mcctrl.faultAsks());
    assertThat(states(m.master(0))).isEqualTo(REBOOTED);
    resourcesBack(m);
  }

  @Test
  void aRemoteFaultsAnswerLostOnIkcTimesItsAskOutButTheWorkerWaitsOnAsTheDriversWaitHasNoTimeout() {
    Scenario s = scenario();
    HybridModel m = node(s);
    SequentialEngine.Session session = SequentialEngine.open(m);
    loseAFaultAnswer(session, m);
    long asked = session.now();
    session.advanceTo(asked + Offload.FAULT_WAIT_NS + 1_000_000L);
    Mcctrl mcctrl = m.mcctrl();
    assertThat(mcctrl.faultsTimedOut()).isEqualTo(1);
    assertThat(mcctrl.faultWaiters()).isEqualTo(1);
    ProxyProcess proxy = m.proxy(0);
    assertThat(proxy.exitTime()).as("mcexec still runs, its worker in the fault").isEqualTo(-1);
    assertThat(proxy.idleWorkers()).isLessThan(proxy.workers());
    // SIGKILL ends the wait (wait_event_interruptible); mcctrl's release has McKernel destroy the process
    session.inject(m.proxyEntity(0), 0, new ProxyProcess.Kill());
    session.advanceTo(session.now() + SECOND);
    assertThat(proxy.exitSignal()).isEqualTo(9);
    assertThat(proxy.releaseTimedOut()).isFalse();
    assertThat(proxy.idleWorkers()).isEqualTo(proxy.workers());
    assertThat(proxy.asks()).isEqualTo(proxy.askOutcomes());
    assertThat(mcctrl.faultsAnswered() + mcctrl.faultsTimedOut()).isEqualTo(mcctrl.faultAsks());
    assertThat(states(m.master(0))).containsExactly("INACTIVE", "BOOTING", "RUNNING");
    m.master(0).ihk().check();
  }

  /**
   * Found by a 100,000-seed campaign (seeds 44868, 65329, 79107 of examples/chaos-bench.conf): a worker
   * whose fault answer was lost outlived mcexec when the McKernel process ended by a signal.
   */
  @Test
  void aWorkerWaitingForALostFaultAnswerEndsWithMcexecWhenTheProcessExits() {
    Scenario s = scenario();
    HybridModel m = node(s);
    SequentialEngine.Session session = SequentialEngine.open(m);
    loseAFaultAnswer(session, m);
    session.advanceTo(session.now() + 1_000_000L);
    ProxyProcess proxy = m.proxy(0);
    assertThat(proxy.idleWorkers()).as("the worker waits for the lost answer").isLessThan(proxy.workers());
    // a signal whose default action ends the process (as SIGBUS from another thread's failed fault does)
    session.inject(m.processEntity(0), 0, new McProcess.KillProcess(7));
    until(session, () -> proxy.exitTime() >= 0);
    assertThat(proxy.exitSignal()).isEqualTo(7);
    assertThat(proxy.idleWorkers()).as("exit_group ends every worker of mcexec").isEqualTo(proxy.workers());
    // the ask still ends once, by its timeout, and the late silence changes nothing
    session.advanceTo(session.now() + Offload.FAULT_WAIT_NS + 1_000_000L);
    Mcctrl mcctrl = m.mcctrl();
    assertThat(mcctrl.faultsAnswered() + mcctrl.faultsTimedOut()).isEqualTo(mcctrl.faultAsks());
    assertThat(proxy.idleWorkers()).isEqualTo(proxy.workers());
  }

  @Test
  void withoutFaultsEveryRemoteFaultsAskIsAnswered() {
    HybridModel m = node(scenario());
    SequentialEngine.Session session = SequentialEngine.open(m);
    until(session, () -> m.created(m.proxyEntity(0)) && m.proxy(0).exitTime() >= 0);
    Mcctrl mcctrl = m.mcctrl();
    assertThat(mcctrl.faultAsks()).isEqualTo(m.proxy(0).remoteFaults()).isPositive();
    assertThat(mcctrl.faultsAnswered()).isEqualTo(mcctrl.faultAsks());
    assertThat(mcctrl.faultWaiters()).isZero();
    assertThat(m.proxy(0).exitStatus()).isZero();
  }

  @Test
  void aPanicDuringAnOffloadedCallInFlightEndsMcexecWithTheCall() {
    HybridModel m = panicWhen(scenario(), n -> () -> n.created(n.cpuEntity(0, 1)) && n.cpu(0, 1).offloadedCalls() == 1);
    assertThat(states(m.master(0))).isEqualTo(REBOOTED);
    assertThat(m.proxy(0).exitSignal()).isEqualTo(9);
    assertThat(m.proxy(0).served()).isZero();
    resourcesBack(m);
  }

  @Test
  void aPanicDuringMcexecsLaunchEndsMcexecBeforeItsProcessRuns() {
    Scenario s = scenario();
    long exec = IhkNodes.bootAloneNs(s) + s.lifecycle().message();
    HybridModel m = panicWhen(s, n -> () -> n.created(n.proxyEntity(0)) && n.proxy(0).preparedAt() < 0
        && n.cpu(0, 0) != null && n.master(0).runningSince(0) > 0 && nowAfter(n, exec));
    assertThat(states(m.master(0))).isEqualTo(REBOOTED);
    assertThat(m.proxy(0).preparedAt()).isEqualTo(-1);
    assertThat(m.proxy(0).exitSignal()).isEqualTo(9);
    resourcesBack(m);
  }

  /** Whether node {@code n}'s operator has run mcexec (the Exec is on its way or done). */
  private static boolean nowAfter(HybridModel n, long exec) {
    return n.operator(0).readyAt() >= 0;
  }

  @Test
  void aPanicDuringBootFailsMcrebootWhichGivesEverythingBackToLinux() {
    Scenario s = scenario();
    HybridModel m = panicWhen(s, n -> () -> n.created(n.masterEntity(0))
        && String.join("\n", kmsg(n)).contains("CPU 1 (physical CPU 5) online"));
    IhkMaster master = m.master(0);
    // the panic ends the boot; mcreboot.sh, polling for RUNNING, sees it fail and undoes its steps
    assertThat(states(master)).as(master.transitions().toString()).containsExactly("INACTIVE", "BOOTING", "PANIC",
        "SHUTDOWN", "DESTROYED");
    assertThat(m.operator(0).failedJobs()).isEqualTo(1);
    assertThat(m.operator(0).readyAt()).isEqualTo(-1);
    assertThat(master.reboots()).isZero();
    // mcexec never ran: nothing was launched, so nothing needs an exit status
    assertThat(m.proxy(0).preparedAt()).isEqualTo(-1);
    assertThat(master.ihk().osInstances()).isEmpty();
    assertThat(master.ihk().linuxCpus().toString()).isEqualTo("0-11");
    resourcesBack(m);
  }

  private static List<String> kmsg(HybridModel n) {
    IhkMaster master = n.master(0);
    return master.ihk().osInstances().contains(0) ? master.ihk().kmsg(0) : List.of();
  }

  @Test
  void aPanicDuringShutdownCompletesTheShutdownWithoutAReboot() {
    Scenario s = scenario();
    HybridModel m = node(s);
    SequentialEngine.Session session = SequentialEngine.open(m);
    until(session, () -> m.created(m.proxyEntity(0)) && m.proxy(0).exitTime() >= 0);
    session.advanceTo(session.now() + 1_000_000L);
    session.inject(m.operatorEntity(0), 0, new Operator.Job("shutdown",
        List.of(Operator.Step.command("ihkosctl 0 shutdown")), false));
    until(session, () -> m.master(0).ihk().status(0) == OsStatus.SHUTDOWN);
    session.inject(m.cpuEntity(0, 3), 0, new McKernelCpu.Panic());
    session.advanceTo(session.now() + SECOND);
    IhkMaster master = m.master(0);
    assertThat(states(master)).containsExactly("INACTIVE", "BOOTING", "RUNNING", "SHUTDOWN", "INACTIVE");
    assertThat(master.reboots()).isZero();
    assertThat(m.proxy(0).exitStatus()).isZero();
    assertThat(m.proxy(0).processLost()).isFalse();
    master.ihk().check();
  }
}
