package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.McProcess;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.Op;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.Signals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Programs that block and signal each other on a McKernel node (issue 20 item 4): futex wait and wake
 * between threads of one process (handled by McKernel, the waiter off its CPU), kill and tgkill between
 * threads and processes, rt_sigaction's handler, SIG_IGN and SIG_DFL, and a signal that reaches a thread
 * sleeping in a futex wait. After each, every process has ended with its status, no thread waits
 * anywhere, and the memory is back in the partition.
 */
class ProcessBlockingTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final long END = Long.MAX_VALUE / 4;
  private static final long FUTEX = 0x20000;
  private static final int SIGUSR1 = Signals.number("SIGUSR1");
  private static final int SIGTERM = Signals.number("SIGTERM");
  /** When signals from Linux come: after the launch (mcexec's start-up takes about 2 ms). */
  private static final long LATER = 4_000_000;

  /** A node whose McKernel CPUs are 4-11, its Linux CPUs 0-3. */
  private static HybridModel node(List<HybridModel.Process> processes) {
    return new HybridModel(IntStream.range(4, 12).boxed().toList(), "", processes, SyscallTable.defaultTable(),
        S.ikc(), S.offload(), S.syscalls(), S.remoteFault(), S.mckernel(), S.launch(), 1)
        .withLinuxCpus(new int[] {0, 1, 2, 3});
  }

  private static HybridModel.Process one(Program p) {
    return new HybridModel.Process(p, List.of(0), 0);
  }

  private static HybridModel run(HybridModel m) {
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    return m;
  }

  /** Every thread of every CPU gone, no futex waiter left, every used slot's memory back. */
  private static void settled(HybridModel m, int processes) {
    for (int c = 0; c < 8; c++) {
      assertThat(m.cpu(c).hasLiveThreads()).as("CPU %d has no thread left", c).isFalse();
    }
    for (int p = 0; p < processes; p++) {
      assertThat(m.process(p).exited()).as("process %d ended", p).isTrue();
      assertThat(m.process(p).futexWaiters()).as("process %d has no futex waiter", p).isZero();
      assertThat(m.process(p).heldBytes()).as("process %d holds no memory", p).isZero();
      assertThat(m.proxy(p).exitTime()).as("mcexec %d exited", p).isPositive();
    }
    assertThat(m.partition(0).free()).isEqualTo(m.partition(0).capacity());
  }

  /** The threads spawned on any CPU, in tid order. */
  private static List<McKernelCpu.McThread> spawned(HybridModel m) {
    List<McKernelCpu.McThread> all = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      all.addAll(m.cpu(c).spawned());
    }
    all.sort(Comparator.comparingInt(McKernelCpu.McThread::tid));
    return all;
  }

  private static Program waiter(String name, long before) {
    return Program.named(name).compute(before).futexWait(FUTEX).compute(1_000).exit(0).build();
  }

  @Test
  void aFutexWakeReleasesWaitersFirstComeFirstServedAndSaysHowMany() {
    // three threads wait in the order b, c, a (by the compute before each wait); main wakes one at a
    // time, then once more with nobody waiting
    Program main = Program.named("main")
        .spawnThread(waiter("a", 30_000)).spawnThread(waiter("b", 10_000)).spawnThread(waiter("c", 20_000))
        .compute(100_000).futexWake(FUTEX, 1)
        .compute(100_000).futexWake(FUTEX, 1)
        .compute(100_000).futexWake(FUTEX, 5)
        .compute(100_000).futexWake(FUTEX, 1)
        .exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    List<McKernelCpu.McThread> t = spawned(m);
    assertThat(t).hasSize(3);
    McKernelCpu.McThread a = t.get(0);
    McKernelCpu.McThread b = t.get(1);
    McKernelCpu.McThread c = t.get(2);
    long t0 = m.cpu(0).threads().get(0).startTime();
    assertThat(b.exitTime() - t0).as("b waited first, released by the first wake").isBetween(100_000L, 200_000L);
    assertThat(c.exitTime() - t0).as("c second").isBetween(200_000L, 300_000L);
    assertThat(a.exitTime() - t0).as("a third").isBetween(300_000L, 400_000L);
    assertThat(List.of(a, b, c)).allMatch(x -> x.lastResult() == 0 && x.exitStatus() == 0);
    McKernelCpu.McThread mainThread = m.cpu(0).threads().get(0);
    assertThat(mainThread.lastResult()).as("the last wake found nobody").isZero();
    assertThat(m.proxy(0).exitStatus()).isZero();
    assertThat(m.cpu(0).latencies()).containsKey("futex");
  }

  @Test
  void aWakeOfTwoOfThreeWaitersLeavesTheThirdWaitingUntilTheNext() {
    Program main = Program.named("main")
        .spawnThread(waiter("a", 10_000)).spawnThread(waiter("b", 20_000)).spawnThread(waiter("c", 30_000))
        .compute(100_000).futexWake(FUTEX, 2)
        .compute(500_000).futexWake(FUTEX, 2)
        .exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    List<McKernelCpu.McThread> t = spawned(m);
    long t0 = m.cpu(0).threads().get(0).startTime();
    assertThat(t.get(0).exitTime() - t0).isLessThan(200_000L);
    assertThat(t.get(1).exitTime() - t0).isLessThan(200_000L);
    assertThat(t.get(2).exitTime() - t0).as("waited for the second wake").isGreaterThan(600_000L);
    assertThat(m.cpu(0).threads().get(0).lastResult()).as("the second wake released one").isEqualTo(1);
  }

  @Test
  void aHandlerRunsWhenTheSignalIsDeliveredAndTheThreadGoesOn() {
    Program handler = Program.named("on-usr1").compute(50_000).build();
    Program main = Program.named("main").onSignal(SIGUSR1, handler).kill("self", SIGUSR1).compute(10_000)
        .exit(4).build();
    Program plain = Program.named("main").kill("self", SIGUSR1).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    McKernelCpu.McThread t = m.cpu(0).threads().get(0);
    assertThat(t.signalsHandled()).isEqualTo(1);
    assertThat(t.lastResult()).isZero();
    assertThat(t.exitTime()).as("the handler's 50us ran before the 10us after the kill")
        .isGreaterThan(60_000L + t.startTime());
    assertThat(m.proxy(0).exitStatus()).as("the thread went on to its exit").isEqualTo(4);
    assertThat(m.process(0).signalsHandled()).isEqualTo(1);
    // without a handler, SIGUSR1's default action ends the process
    HybridModel d = run(node(List.of(one(plain))));
    settled(d, 1);
    assertThat(d.process(0).exitSignal()).isEqualTo(SIGUSR1);
    assertThat(d.proxy(0).exitSignal()).isEqualTo(SIGUSR1);
  }

  @Test
  void sigIgnAndSigDflFromLinuxAndFromAThread() {
    // SIGTERM from Linux at 1 ms: ignored; SIGTERM sent to itself after SIG_DFL: ends the process
    Program main = Program.named("main").sigaction(SIGTERM, Op.SigAction.Action.IGNORE).compute(5_000_000)
        .sigaction(SIGTERM, Op.SigAction.Action.DEFAULT).compute(10_000).kill("self", SIGTERM).compute(1_000_000)
        .exit(0).build();
    HybridModel m = run(node(List.of(one(main).withSignals(List.of(new Signals.Timed(LATER, SIGTERM))))));
    settled(m, 1);
    assertThat(m.process(0).signalsIgnored()).isEqualTo(1);
    assertThat(m.proxy(0).signalsAcked()).isEqualTo(1);
    assertThat(m.process(0).exitSignal()).isEqualTo(SIGTERM);
    McKernelCpu.McThread t = m.cpu(0).threads().get(0);
    assertThat(t.startTime()).as("launched before the signal from Linux").isLessThan(LATER);
    assertThat(t.exitTime() - t.startTime()).as("ended at its own kill, not at the signal from Linux")
        .isBetween(5_000_000L, 5_900_000L);
  }

  @Test
  void aHandlerRunsForASignalFromLinuxAndMayEndTheProcess() {
    Program handler = Program.named("on-term").compute(20_000).exit(3).build();
    Program main = Program.named("main").onSignal(SIGTERM, handler).compute(5_000_000).exit(0).build();
    HybridModel m = run(node(List.of(one(main).withSignals(List.of(new Signals.Timed(LATER, SIGTERM))))));
    settled(m, 1);
    assertThat(m.proxy(0).exitStatus()).as("the handler's exit").isEqualTo(3);
    assertThat(m.process(0).exitSignal()).isZero();
  }

  @Test
  void aSignalWithAHandlerInterruptsAFutexWaitWithEintr() {
    Program handler = Program.named("on-usr1").compute(5_000).build();
    // the waiter sleeps on a futex nobody wakes; main sends it SIGUSR1
    Program sleeper = Program.named("sleeper").futexWait(FUTEX).compute(1_000).exit(0).build();
    Program main = Program.named("main").onSignal(SIGUSR1, handler).spawnThread(sleeper).compute(100_000)
        .tgkill("spawned", SIGUSR1).compute(100_000).futexWake(FUTEX, 1).exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    McKernelCpu.McThread s = spawned(m).get(0);
    assertThat(s.lastResult()).as("the wait returned -EINTR").isEqualTo(-4);
    assertThat(s.signalsHandled()).isEqualTo(1);
    assertThat(s.exitTime() - s.startTime()).as("woken by the signal, not the wake").isBetween(100_000L, 200_000L);
    assertThat(m.cpu(0).threads().get(0).lastResult()).as("no waiter left for the wake").isZero();
  }

  @Test
  void aDefaultActionEndsEveryThreadWhateverItDoesComputingWaitingOnAFutexOrInAnOffloadedCall() {
    Program sleeper = Program.named("sleeper").futexWait(FUTEX).exit(0).build();
    Program writer = Program.named("writer").repeat(10_000, b -> b.syscall("write",
        io.mcksim.workloads.SyscallArgs.fd(1).size(4096).buffer(0x10000))).exit(0).build();
    Program busy = Program.named("busy").compute(10_000_000).exit(0).build();
    Program main = Program.named("main").spawnThread(sleeper).spawnThread(writer).spawnThread(busy)
        .compute(200_000).kill("self", SIGTERM).compute(1_000_000).exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    assertThat(m.process(0).exitSignal()).isEqualTo(SIGTERM);
    assertThat(m.proxy(0).exitSignal()).isEqualTo(SIGTERM);
    long t0 = m.cpu(0).threads().get(0).startTime();
    assertThat(spawned(m)).allMatch(t -> t.exitSignal() == SIGTERM && t.exitTime() - t0 < 1_000_000L);
  }

  @Test
  void killByPidReachesAnotherProcessAndAnUnknownPidIsEsrch() {
    Program handler = Program.named("on-usr1").compute(1_000).exit(9).build();
    Program target = Program.named("target").onSignal(SIGUSR1, handler).compute(5_000_000).exit(0).build();
    int targetPid = HybridModel.FIRST_PID + 1;
    Program sender = Program.named("sender").compute(500_000).op(new Op.Kill("pid", targetPid, SIGUSR1))
        .op(new Op.Kill("pid", 4_000, SIGUSR1)).compute(1_000).exit(0).build();
    Program esrch = Program.named("probe").op(new Op.Kill("pid", 4_000, SIGUSR1)).exit(0).build();
    HybridModel m = run(node(List.of(one(sender), new HybridModel.Process(target, List.of(1), 0))));
    settled(m, 2);
    assertThat(m.proxy(1).exitStatus()).as("the target's handler ended it").isEqualTo(9);
    assertThat(m.cpu(0).threads().get(0).lastResult()).as("kill of pid 4000").isEqualTo(McProcess.ESRCH);
    HybridModel p = run(node(List.of(one(esrch))));
    assertThat(p.cpu(0).threads().get(0).lastResult()).isEqualTo(McProcess.ESRCH);
  }

  @Test
  void aParentSignalsItsForkedChildAndTheChildItsParent() {
    Program childHandler = Program.named("child-usr1").kill("parent", SIGUSR1).exit(5).build();
    Program child = Program.named("child").onSignal(SIGUSR1, childHandler).compute(5_000_000).exit(0).build();
    Program parentHandler = Program.named("parent-usr1").compute(1_000).build();
    Program parent = Program.named("parent").onSignal(SIGUSR1, parentHandler).fork(child).compute(500_000)
        .kill("child", SIGUSR1).compute(500_000).exit(0).build();
    HybridModel m = run(node(List.of(one(parent))));
    McKernelCpu.McThread p = m.cpu(0).threads().get(0);
    assertThat(p.lastForkResult()).isPositive();
    assertThat(p.signalsHandled()).as("the child's kill reached the parent's handler").isEqualTo(1);
    McProcess c = m.process(1);
    assertThat(c.exited()).isTrue();
    assertThat(m.proxy(1).exitStatus()).isEqualTo(5);
    assertThat(m.proxy(0).exitStatus()).isZero();
    settled(m, 2);
  }

  @Test
  void tgkillOfAThreadThatHasEndedIsEsrch() {
    Program quick = Program.named("quick").compute(1_000).exit(0).build();
    Program main = Program.named("main").spawnThread(quick).compute(500_000).tgkill("spawned", SIGUSR1)
        .exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    assertThat(m.cpu(0).threads().get(0).lastResult()).isEqualTo(McProcess.ESRCH);
    assertThat(m.process(0).exitSignal()).isZero();
  }

  @Test
  void blockingAndSignalsGiveOneDigestOnTheSequentialAndTheActorEngine() {
    Program handler = Program.named("h").compute(5_000).build();
    Program sleeper = Program.named("sleeper").futexWait(FUTEX).compute(1_000).futexWait(FUTEX).exit(0).build();
    Program pipeReader = Program.named("pipe-reader").syscall("read", READ_END).syscall("read", READ_END)
        .exit(0).build();
    Program main = Program.named("main").onSignal(SIGUSR1, handler).syscall("pipe").spawnThread(sleeper)
        .spawnThread(sleeper).spawnThread(pipeReader)
        .compute(100_000).tgkill("spawned", SIGUSR1).compute(50_000).futexWake(FUTEX, 3).compute(50_000)
        .futexWake(FUTEX, 3).kill("self", SIGUSR1).syscall("write", WRITE_END).exitGroup(0).build();
    List<HybridModel.Process> ps = List.of(one(main).withSignals(List.of(new Signals.Timed(LATER, SIGUSR1))));
    String seq = new SequentialEngine().run(node(ps), RunSpec.until(END, 1)).digest();
    assertThat(new ActorEngine().run(node(ps), RunSpec.until(END, 2)).digest()).isEqualTo(seq);
    assertThat(new ActorEngine().run(node(ps), RunSpec.until(END, 1)).digest()).isEqualTo(seq);
  }

  private static final io.mcksim.workloads.SyscallArgs READ_END = io.mcksim.workloads.SyscallArgs.fd(3).size(64)
      .buffer(0x10000);
  private static final io.mcksim.workloads.SyscallArgs WRITE_END = io.mcksim.workloads.SyscallArgs.fd(4).size(64)
      .buffer(0x20000);

  /** A thread that reads the pipe (descriptor 3) once, then computes 1us and exits. */
  private static Program reader() {
    return Program.named("reader").syscall("read", READ_END).compute(1_000).exit(0).build();
  }

  /** The proxy's workers are all idle again, none waiting in a read. */
  private static void workersFree(HybridModel m, int slot) {
    assertThat(m.proxy(slot).workersWaitingOnPipes()).isZero();
    assertThat(m.proxy(slot).idleWorkers()).as("every worker idle").isEqualTo(m.proxy(slot).workers());
  }

  @Test
  void aReadOfAnEmptyPipeWaitsInLinuxHoldingItsWorkerUntilAThreadWrites() {
    Program main = Program.named("main").syscall("pipe").spawnThread(reader()).compute(500_000)
        .syscall("write", WRITE_END).compute(100_000).exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    workersFree(m, 0);
    McKernelCpu.McThread r = spawned(m).get(0);
    McKernelCpu.McThread w = m.cpu(0).threads().get(0);
    assertThat(r.lastResult()).as("the read got the 64 bytes written").isEqualTo(64);
    assertThat(w.lastResult()).as("the write wrote them").isEqualTo(64);
    assertThat(r.exitTime() - w.startTime()).as("the reader waited for the write").isGreaterThan(500_000L);
    assertThat(m.proxy(0).blockedReads()).isEqualTo(1);
    assertThat(m.proxy(0).openFds()).containsExactly(3, 4);
  }

  @Test
  void aReadOfAPipeWithBytesReturnsAtOnceAndTheCloseOfTheWriteEndIsTheEndOfFile() {
    Program main = Program.named("main").syscall("pipe").syscall("write", WRITE_END.size(16))
        .syscall("read", READ_END).spawnThread(reader()).compute(300_000)
        .syscall("close", io.mcksim.workloads.SyscallArgs.fd(4)).compute(100_000).exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    workersFree(m, 0);
    assertThat(m.proxy(0).blockedReads()).as("only the second read waited").isEqualTo(1);
    McKernelCpu.McThread r = spawned(m).get(0);
    assertThat(r.lastResult()).as("end of file").isZero();
    assertThat(r.exitTime() - m.cpu(0).threads().get(0).startTime()).isGreaterThan(300_000L);
  }

  @Test
  void aSignalWithAHandlerInterruptsAReadThatWaitsInLinuxWithEintr() {
    // McKernel interrupts the offloaded read (interrupt_syscall): mcexec's worker returns -EINTR, the
    // thread runs its handler and goes on
    Program handler = Program.named("on-usr1").compute(5_000).build();
    Program main = Program.named("main").onSignal(SIGUSR1, handler).syscall("pipe").spawnThread(reader())
        .compute(300_000).tgkill("spawned", SIGUSR1).compute(300_000).exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    workersFree(m, 0);
    McKernelCpu.McThread r = spawned(m).get(0);
    assertThat(r.lastResult()).as("the read returned -EINTR").isEqualTo(-4);
    assertThat(r.signalsHandled()).isEqualTo(1);
    assertThat(r.exitTime() - m.cpu(0).threads().get(0).startTime()).isBetween(300_000L, 600_000L);
    assertThat(m.proxy(0).interrupts()).isEqualTo(1);
    assertThat(m.proxy(0).exitStatus()).isZero();
  }

  @Test
  void aSignalWithAHandlerInterruptsAReadOfTheOnlyThreadSpinningForIt() {
    // the reader is the process's only thread: it spins on its CPU for the read's result
    Program handler = Program.named("on-term").compute(5_000).exit(2).build();
    Program main = Program.named("main").onSignal(SIGTERM, handler).syscall("pipe").syscall("read", READ_END)
        .exit(0).build();
    HybridModel m = run(node(List.of(one(main).withSignals(List.of(new Signals.Timed(LATER, SIGTERM))))));
    settled(m, 1);
    workersFree(m, 0);
    assertThat(m.cpu(0).threads().get(0).lastResult()).isEqualTo(-4);
    assertThat(m.proxy(0).exitStatus()).as("the handler's exit").isEqualTo(2);
  }

  @Test
  void aDefaultActionEndsAProcessWhoseThreadWaitsInAPipeReadAndFreesTheWorker() {
    Program main = Program.named("main").syscall("pipe").spawnThread(reader()).spawnThread(reader())
        .compute(300_000).kill("self", SIGTERM).compute(300_000).exit(0).build();
    HybridModel m = run(node(List.of(one(main))));
    settled(m, 1);
    workersFree(m, 0);
    assertThat(m.proxy(0).blockedReads()).isEqualTo(2);
    assertThat(m.process(0).exitSignal()).isEqualTo(SIGTERM);
    assertThat(m.proxy(0).exitSignal()).isEqualTo(SIGTERM);
  }
}
