package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcksim.actors.engine.ActorEngine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.config.IkcCostSettings;
import io.mcksim.config.OffloadCosts;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioLoader;
import io.mcksim.config.SyscallCosts;
import io.mcksim.mckernel.McKernelCpu;
import io.mcksim.mckernel.ProcessTable;
import io.mcksim.mckernel.SyscallTable;
import io.mcksim.workloads.LatencyLog;
import io.mcksim.workloads.Program;
import io.mcksim.workloads.SyscallArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** System calls on a McKernel node: local costs, the offload path stage by stage, proxy queueing. */
class OffloadTest {

  private static final Scenario S = new ScenarioLoader().defaults();
  private static final IkcCostSettings IKC = S.ikc();
  private static final OffloadCosts OFF = S.offload();
  private static final SyscallCosts SYS = S.syscalls();
  private static final long END = Long.MAX_VALUE / 4;

  /** A node whose McKernel CPUs are 4.., its Linux CPUs 0-3 (where the proxies' workers run). */
  private static HybridModel node(int cpus, List<HybridModel.Process> processes) {
    return new HybridModel(IntStream.range(4, 4 + cpus).boxed().toList(), "", processes,
        SyscallTable.defaultTable(), IKC, OFF, SYS, S.remoteFault(), S.mckernel(), S.launch(), 1)
        .withLinuxCpus(new int[] {0, 1, 2, 3});
  }

  /** The offload path's stages, one after another, when nothing queues. */
  private static long offloadLatency(String syscall) {
    return OFF.marshal() + OFF.ikcEnqueue() + IKC.latency() + IKC.ipi() + OFF.mcctrlDispatch()
        + OFF.proxyWakeup() + SYS.linux(syscall) + OFF.replyWrite() + OFF.resume();
  }

  @Test
  void anOffloadedCallOnAQuietNodeTakesExactlyTheSumOfItsStages() {
    Program p = Program.named("writer").repeat(100, b -> b.compute(500)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(0x10000))).exit(0).build();
    HybridModel m = node(4, List.of(new HybridModel.Process(p, List.of(0), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    LatencyLog log = m.cpu(0).latencies().get("write");
    assertThat(log.count()).isEqualTo(100);
    // marshal 50 + enqueue 100 + IKC 400 + interrupt 200 + dispatch 300 + wake-up 1200
    // + write on Linux 1000 + reply write 150 + resume 50 = 3450 ns
    assertThat(offloadLatency("write")).isEqualTo(3_450);
    // the first call also faults its one buffer page into the proxy: one remote round trip of
    // request 200 + IKC 400 + interrupt 200 + resolve 500 + IKC 400 + interrupt 200 + dispatch 300
    // + map 300 = 2500 ns; the page is forwarded once, so the other 99 calls pay only the stages
    assertThat(remoteFaultRoundTrip()).isEqualTo(2_500);
    long[] samples = log.samples();
    assertThat(samples[0]).isEqualTo(offloadLatency("write") + remoteFaultRoundTrip());
    assertThat(java.util.Arrays.copyOfRange(samples, 1, 100)).containsOnly(offloadLatency("write"));
    assertThat(m.proxy(0).remoteFaults()).isEqualTo(1);
    assertThat(m.process(0).resolved()).isEqualTo(1);
    assertThat(m.cpu(0).threads().get(0).exitStatus()).isZero();
    McKernelCpu.McThread t = m.cpu(0).threads().get(0);
    assertThat(t.exitTime() - t.startTime()).isEqualTo(100 * (500 + 3_450) + remoteFaultRoundTrip());
    // mcexec's launch: start-up, PREPARE_PROCESS and its ack, SCHEDULE_PROCESS, each IKC message
    // with its trip and interrupt, the ack through mcctrl's handler
    long launch = S.launch().mcexec() + IKC.latency() + IKC.ipi() + S.launch().prepare()
        + IKC.latency() + IKC.ipi() + OFF.mcctrlDispatch() + S.launch().schedule() + IKC.latency()
        + IKC.ipi();
    assertThat(t.startTime()).isEqualTo(launch);
    assertThat(m.proxy(0).queued()).isZero();
    // the launch's ack, 100 requests and one fault answer
    assertThat(m.mcctrl().handled()).isEqualTo(102);
  }

  /** One remote page fault, the proxy's request to the page mapped into the proxy. */
  private static long remoteFaultRoundTrip() {
    return S.remoteFault().request() + IKC.latency() + IKC.ipi() + S.remoteFault().resolve()
        + IKC.latency() + IKC.ipi() + OFF.mcctrlDispatch() + S.remoteFault().map();
  }

  @Test
  void everyNotYetMappedBufferPageCostsOneRemoteFaultRoundTripAndIsForwardedOnce() {
    // a 10,000-byte buffer at 0x10000 covers three pages; a second buffer overlaps the last of them
    Program p = Program.named("pages")
        .syscall("write", SyscallArgs.fd(1).size(10_000).buffer(0x10000))
        .syscall("write", SyscallArgs.fd(1).size(10_000).buffer(0x10000))
        .syscall("read", SyscallArgs.fd(3).size(4096).buffer(0x12000))
        .exit(0).build();
    HybridModel m = node(2, List.of(new HybridModel.Process(p, List.of(1), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(m.cpu(1).latencies().get("write").samples()).containsExactly(
        offloadLatency("write") + 3 * remoteFaultRoundTrip(), offloadLatency("write"));
    // 0x12000-0x12fff was the third page of the first buffer: already forwarded
    assertThat(m.cpu(1).latencies().get("read").samples()).containsExactly(offloadLatency("read"));
    assertThat(m.proxy(0).remoteFaults()).isEqualTo(3);
    assertThat(m.process(0).pageFaults()).isEqualTo(3); // faulted in McKernel for the proxy
  }

  @Test
  void aPageMcKernelCannotResolveKillsTheProxyWithSigbusAndTheProcessWithIt() {
    // the data area is 64 KiB at 0x10000; the buffer at 0x900000 lies in no area
    Program p = Program.named("bad").syscall("getpid")
        .syscall("write", SyscallArgs.fd(1).size(64).buffer(0x900000))
        .syscall("getpid").exit(0).build();
    Program other = Program.named("sibling").compute(1_000_000)
        .syscall("write", SyscallArgs.fd(1).size(64)).exit(0).build();
    HybridModel m = node(2, List.of(new HybridModel.Process(p, List.of(0), 0, 64 << 10)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread t = m.cpu(0).threads().get(0);
    assertThat(t.exitSignal()).isEqualTo(7);
    assertThat(t.exitStatus()).isEqualTo(-1);
    assertThat(m.proxy(0).killedBy()).isEqualTo(7);
    assertThat(m.process(0).refused()).isEqualTo(1);
    assertThat(m.cpu(0).latencies().get("getpid").count()).isEqualTo(1); // never got to the second
    assertThat(m.proxy(0).exitSignal()).isEqualTo(7);
    assertThat(m.process(0).exitSignal()).isEqualTo(7);

    // a second thread of a process whose proxy died: its next offloaded call returns -ERESTARTSYS
    // and McKernel kills it too
    Program threads = Program.named("two").syscall("write", SyscallArgs.fd(1).size(64).buffer(0x900000))
        .exit(0).build();
    HybridModel two = node(2, List.of(new HybridModel.Process(threads, List.of(0), 0, 64 << 10),
        new HybridModel.Process(other, List.of(1), 0)));
    new SequentialEngine().run(two, RunSpec.until(END, 1));
    assertThat(two.cpu(0).threads().get(0).exitSignal()).isEqualTo(7);
    assertThat(two.cpu(1).threads().get(0).exitSignal()).isZero(); // another process: unharmed
    assertThat(two.cpu(1).threads().get(0).exitStatus()).isZero();
  }

  @Test
  void exitStatusesReachTheProxyAndSoTheLauncher() {
    Program main = Program.named("main").syscall("write", SyscallArgs.fd(1).size(8)).exit(42).build();
    Program quiet = Program.named("quiet").compute(5_000).build(); // implicit exit 0
    // a two-thread process exits when its last thread does, with that thread's status
    Program pair = Program.named("pair").compute(1_000).exit(9).build();
    HybridModel m = node(4, List.of(new HybridModel.Process(main, List.of(0), 0),
        new HybridModel.Process(quiet, List.of(1), 0),
        new HybridModel.Process(pair, List.of(2, 3), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(m.proxy(0).exitStatus()).isEqualTo(42);
    assertThat(m.proxy(1).exitStatus()).isZero();
    assertThat(m.proxy(2).exitStatus()).isEqualTo(9);
    assertThat(m.proxy(0).exitTime()).isPositive();
    assertThat(m.process(2).exitStatus()).isEqualTo(9);
  }

  @Test
  void forkMakesAChildWithItsOwnProxyAndPidWhoseExitStatusArrivesToo() {
    Program child = Program.named("child").syscall("write", SyscallArgs.fd(1).size(100).buffer(0x20000))
        .exit(7).build();
    Program parent = Program.named("parent").fork(child)
        .syscall("write", SyscallArgs.fd(1).size(100).buffer(0x20000)).exit(3).build();
    HybridModel m = node(2, List.of(new HybridModel.Process(parent, List.of(0), 0)));
    RunResult r = new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread p = m.cpu(0).threads().get(0);
    assertThat(p.lastForkResult()).isEqualTo(HybridModel.FIRST_PID + 1);
    // McKernel puts the child on the CPU with the shortest run queue: the idle one
    assertThat(m.cpu(0).spawned()).isEmpty();
    assertThat(m.cpu(1).spawned()).singleElement().satisfies(c -> assertThat(c.pid()).isEqualTo(
        HybridModel.FIRST_PID + 1));
    assertThat(m.proxy(1).pid()).isEqualTo(HybridModel.FIRST_PID + 1).isNotEqualTo(m.proxy(0).pid());
    assertThat(m.proxy(1).parentPid()).isEqualTo(HybridModel.FIRST_PID);
    assertThat(m.process(1).parentPid()).isEqualTo(HybridModel.FIRST_PID);
    // each process offloads through its own proxy, which faults the buffer page in for itself:
    // the child's copy of the parent's data area resolves it
    assertThat(m.proxy(0).served()).isEqualTo(1);
    assertThat(m.proxy(1).served()).isEqualTo(1);
    assertThat(m.proxy(1).remoteFaults()).isEqualTo(1);
    assertThat(m.process(1).resolved()).isEqualTo(1);
    assertThat(m.proxy(0).exitStatus()).isEqualTo(3);
    assertThat(m.proxy(1).exitStatus()).isEqualTo(7);
    assertThat(m.cpu(0).latencies().get("fork").count()).isEqualTo(1);
    assertThat(r.events()).isPositive();
  }

  @Test
  void workersThatShareALinuxCpuWaitForEachOtherThere() {
    // two threads on two McKernel CPUs offload a write at the same moment; two workers serve them
    Program p = Program.named("writer").syscall("write", SyscallArgs.fd(1).size(8)).exit(0).build();
    HybridModel apart = node(2, List.of(new HybridModel.Process(p, List.of(0, 1), 2)));
    new SequentialEngine().run(apart, RunSpec.until(END, 1));
    HybridModel shared = new HybridModel(List.of(4, 5), "", List.of(new HybridModel.Process(p, List.of(0, 1), 2)),
        SyscallTable.defaultTable(), IKC, OFF, SYS, S.remoteFault(), S.mckernel(), S.launch(), 1)
        .withLinuxCpus(new int[] {0});
    new SequentialEngine().run(shared, RunSpec.until(END, 1));
    // on CPUs of their own, neither worker waits; the first call takes exactly its stages
    assertThat(apart.linuxService(0).waitNs()).isZero();
    assertThat(apart.linuxService(1).waitNs()).isZero();
    assertThat(apart.cpu(0).latencies().get("write").samples()).containsExactly(offloadLatency("write"));
    // on one CPU the workers take turns (a woken worker runs its wake-up and the call without giving up
    // the CPU: the call needs nothing from McKernel first), and the calls take exactly as much longer,
    // together, as the workers waited there
    long waited = shared.linuxService(0).waitNs();
    assertThat(waited).isPositive();
    assertThat(shared.linuxService(0).jobs()).isEqualTo(2); // one run of each worker
    long apartSum = apart.cpu(0).latencies().get("write").sum() + apart.cpu(1).latencies().get("write").sum();
    long sharedSum = shared.cpu(0).latencies().get("write").sum() + shared.cpu(1).latencies().get("write").sum();
    assertThat(sharedSum).isEqualTo(apartSum + waited);
    assertThat(shared.linuxService(0).busyNs())
        .isEqualTo(2 * (OFF.proxyWakeup() + SYS.linux("write")));
  }

  @Test
  void deviceMemoryMappedThroughTheDriverIsReachedWithoutFaultsOrOffloads() {
    long device = 0x7000_0000L;
    long length = 64 * 1024;
    Program p = Program.named("hfi-user")
        .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/dev/hfi1_0"))
        .syscall("ioctl", SyscallArgs.fd(3)).syscall("ioctl", SyscallArgs.fd(3))
        .syscall("mmap", new SyscallArgs(3, 0, 0x01, device, length, 0))
        .touch(device, length, io.mcksim.workloads.Access.WRITE)
        .syscall("write", SyscallArgs.fd(1).size(4096).buffer(device))
        .exit(0).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(p, List.of(0), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    var lat = m.cpu(0).latencies();
    // the open, the ioctls and the mmap go to Linux: the driver sets the mapping up through the proxy
    assertThat(lat.get("openat").samples()).containsExactly(offloadLatency("openat"));
    assertThat(lat.get("ioctl").samples()).containsExactly(offloadLatency("ioctl"), offloadLatency("ioctl"));
    assertThat(lat.get("mmap").samples()).containsExactly(offloadLatency("mmap"));
    // then the device memory is reached directly: no page fault, no remote fault, no time
    assertThat(m.cpu(0).pageFaults()).isZero();
    assertThat(m.process(0).pageFaults()).isZero();
    assertThat(m.proxy(0).remoteFaults()).isZero();
    assertThat(lat.get("write").samples()).containsExactly(offloadLatency("write"));
    McKernelCpu.McThread t = m.cpu(0).threads().get(0);
    assertThat(t.exitTime() - t.startTime()).isEqualTo(offloadLatency("openat") + 2 * offloadLatency("ioctl")
        + offloadLatency("mmap") + offloadLatency("write"));
    // an mmap of an ordinary file's descriptor stays McKernel's own, but its pager is the proxy's: McKernel's
    // handler has it create the file object first (one round trip, kernel/syscall.c do_mmap, fileobj)
    Program file = Program.named("file").syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD).path("/data/in"))
        .syscall("mmap", new SyscallArgs(3, 0, 0x02, device, length, 0)).exit(0).build();
    HybridModel f = node(1, List.of(new HybridModel.Process(file, List.of(0), 0)));
    new SequentialEngine().run(f, RunSpec.until(END, 1));
    assertThat(f.cpu(0).latencies().get("mmap").samples()).containsExactly(SYS.local("mmap")
        + offloadLatency("mmap"));
  }

  @Test
  void newThreadsGoToTheIdleCpusFirstAndRunThereAtTheSameTime() {
    Program worker = Program.named("worker").compute(50_000).exit(0).build();
    Program main = Program.named("main").spawnThread(worker).spawnThread(worker).spawnThread(worker)
        .spawnThread(worker).compute(50_000).exit(0).build();
    HybridModel m = node(4, List.of(new HybridModel.Process(main, List.of(0), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    // three idle CPUs take one thread each; the fourth thread goes to the least loaded, the main's own
    // CPU being busy with the main thread: CPU 1 again
    assertThat(m.cpu(1).spawned()).hasSize(2);
    assertThat(m.cpu(2).spawned()).hasSize(1);
    assertThat(m.cpu(3).spawned()).hasSize(1);
    assertThat(m.cpu(0).spawned()).isEmpty();
    long first = m.cpu(2).spawned().get(0).startTime();
    assertThat(m.cpu(3).spawned().get(0).startTime() - first).as("one clone later").isPositive()
        .isLessThan(5_000);
    assertThat(m.cpu(2).spawned().get(0).exitTime()).as("ran without waiting for the main thread")
        .isLessThan(m.cpu(0).threads().get(0).exitTime());
    assertThat(m.proxy(0).exitStatus()).isZero();
  }

  @Test
  void spawnThreadAddsAThreadToTheProcessAndTheProcessEndsWithItsLastThread() {
    Program worker = Program.named("worker").compute(3_000).exit(4).build();
    Program main = Program.named("main").spawnThread(worker).compute(1_000).exit(0).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(main, List.of(0), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread t = m.cpu(0).threads().get(0);
    assertThat(m.cpu(0).spawned()).hasSize(1);
    McKernelCpu.McThread w = m.cpu(0).spawned().get(0);
    assertThat(w.pid()).isEqualTo(t.pid());
    assertThat(w.tid()).isNotEqualTo(t.tid());
    // cooperative: the main thread runs to its exit, then the worker; the worker ends last
    assertThat(w.startTime()).isEqualTo(t.exitTime());
    assertThat(m.proxy(0).exitStatus()).isEqualTo(4);
  }

  @Test
  void aLongRunQueueOfThreadsThatExitAtOnceTakesNoStack() throws InterruptedException {
    // the CPU hands itself on from one exiting thread to the next: on a small stack, in a loop
    int threads = 30_000;
    Program quick = Program.named("quick").exit(0).build();
    Program main = Program.named("main").repeat(threads, b -> b.spawnThread(quick)).exit(0).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(main, List.of(0), 0)));
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        new SequentialEngine().run(m, RunSpec.until(END, 1));
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();
    assertThat(failure[0]).isNull();
    assertThat(m.cpu(0).spawned()).hasSize(threads).allSatisfy(w -> assertThat(w.exitStatus()).isZero());
  }

  @Test
  void execReplacesTheImageAndTheProxyForgetsTheOldMappings() {
    Program image = Program.named("new-image")
        .syscall("write", SyscallArgs.fd(1).size(64).buffer(0x10000)).exit(6).build();
    Program p = Program.named("old-image")
        .syscall("write", SyscallArgs.fd(1).size(64).buffer(0x10000)).exec(image).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(p, List.of(0), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    // the same page is forwarded again after exec: a fresh address space on both sides
    assertThat(m.proxy(0).remoteFaults()).isEqualTo(2);
    assertThat(m.cpu(0).latencies().get("write").count()).isEqualTo(2);
    assertThat(m.cpu(0).latencies().get("execve").count()).isEqualTo(1);
    assertThat(m.proxy(0).exitStatus()).isEqualTo(6);
  }

  @Test
  void aCallerSleepsInsteadOfSpinningWhenAnotherThreadCanRunAndIsWokenOverIkc() {
    // two threads of one process on one CPU, both runnable from the start, each offloading a write:
    // the first sleeps (the second can run), the second spins (nothing else can), the first is woken
    Program p = Program.named("pair").syscall("write", SyscallArgs.fd(1).size(8)).exit(0).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(p, List.of(0, 0), 2)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread first = m.cpu(0).threads().get(0);
    McKernelCpu.McThread second = m.cpu(0).threads().get(1);
    long marshal = OFF.marshal() + OFF.ikcEnqueue();
    assertThat(second.startTime()).isEqualTo(first.startTime() + marshal);
    assertThat(m.cpu(0).wakeUps()).isEqualTo(1);
    long[] writes = m.cpu(0).latencies().get("write").samples();
    // the first slept: the stages plus one IKC wake-up (trip + interrupt); the second spun, and its
    // packet waited in the ring while mcctrl's handler still took the first (interrupt + dispatch)
    long handlerWait = IKC.ipi() + OFF.mcctrlDispatch() - marshal;
    assertThat(writes).containsExactly(offloadLatency("write") + handlerWait,
        offloadLatency("write") + IKC.latency() + IKC.ipi());
    assertThat(first.exitTime() - first.startTime())
        .isEqualTo(offloadLatency("write") + IKC.latency() + IKC.ipi());
  }

  @Test
  void aForkWithNoFreeSlotFailsWithEagain() {
    Program parent = Program.named("parent").fork(Program.named("child").exit(0).build()).exit(0).build();
    HybridModel m = new HybridModel(List.of(4, 5), "", List.of(new HybridModel.Process(parent,
        List.of(0), 0)), 0, new long[] {HybridModel.DEFAULT_MEMORY}, false, SyscallTable.defaultTable(),
        IKC, OFF, SYS, S.remoteFault(), S.mckernel(), S.launch(), 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(m.cpu(0).threads().get(0).lastForkResult()).isEqualTo(ProcessTable.EAGAIN);
    assertThat(m.cpu(0).spawned()).isEmpty();
    assertThat(m.proxy(0).exitStatus()).isZero();
  }

  @Test
  void aTickRunsOnlyWhileACpuIsOversubscribedAndTakesItsCostFromTheWork() {
    // two threads of one process share McKernel CPU 0; both become runnable together
    Program work = Program.named("work").compute(5_000_000).exit(0).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(work, List.of(0, 0), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread first = m.cpu(0).threads().get(0);
    McKernelCpu.McThread second = m.cpu(0).threads().get(1);
    // while the second waits, every tick on the 1 ms grid takes 2 us from the first's work
    long firstEnd = S.mckernel().stretch(first.startTime(), 5_000_000);
    assertThat(first.exitTime()).isEqualTo(firstEnd);
    long ticks = S.mckernel().ticksIn(first.startTime(), firstEnd);
    assertThat(ticks).isBetween(5L, 6L);
    // alone on the CPU, the second runs without a tick
    assertThat(second.startTime()).isEqualTo(firstEnd);
    assertThat(second.exitTime()).isEqualTo(firstEnd + 5_000_000);
    assertThat(m.cpu(0).tickNs()).isEqualTo(ticks * 2_000);
  }

  @Test
  void aThreadThatBecomesRunnableMidComputationStartsTheTickFromThen() {
    // the second process's launch reaches the CPU while the first computes
    Program longWork = Program.named("long").compute(5_000_000).exit(0).build();
    Program shortWork = Program.named("short").compute(1_000).exit(0).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(longWork, List.of(0), 0),
        new HybridModel.Process(shortWork, List.of(0), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread first = m.cpu(0).threads().get(0);
    McKernelCpu.McThread second = m.cpu(0).threads().get(1);
    long joined = m.proxy(1).preparedAt() + S.launch().schedule() + IKC.latency() + IKC.ipi();
    assertThat(joined).isGreaterThan(first.startTime());
    // the SCHEDULE_PROCESS packet's interrupt ran on this CPU just before: the work done by then
    // is the time since the start less that interrupt
    long done = joined - first.startTime() - IKC.ipi();
    assertThat(first.exitTime()).isEqualTo(S.mckernel().stretch(joined, 5_000_000 - done));
    assertThat(m.cpu(0).irqNs()).isEqualTo(IKC.ipi());
    assertThat(second.startTime()).isEqualTo(first.exitTime());
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2})
  void noiseOnTheLinuxCpusOfMcctrlAndTheProxyStretchesOffloadedCallsOnly(int threads) {
    // 1000 writes 100 us apart: 100 ms of the linux-default profile's ticks, daemons and interrupts
    // on Linux CPU 0, where mcctrl's handler and the proxy's workers run
    Program p = Program.named("writer").repeat(1000, b -> b.compute(100_000)
        .syscall("write", SyscallArgs.fd(1).size(64).buffer(0x10000)).syscall("getpid")).exit(0).build();
    HybridModel noisy = node(4, List.of(new HybridModel.Process(p, List.of(0), 0)))
        .withLinuxNoise("linux-default");
    RunResult seq = new SequentialEngine().run(noisy, RunSpec.until(END, 1));
    long[] writes = noisy.cpu(0).latencies().get("write").samples();
    long stages = offloadLatency("write");
    long hit = java.util.Arrays.stream(writes).skip(1).filter(w -> w > stages).count();
    assertThat(java.util.Arrays.stream(writes).skip(1).min().getAsLong()).isEqualTo(stages);
    assertThat(hit).as("calls the noise stretched").isBetween(1L, 100L);
    // McKernel's own calls and computation see none of it
    assertThat(noisy.cpu(0).latencies().get("getpid").samples()).containsOnly(SYS.local("getpid"));
    assertThat(noisy.cpu(0).computeTimes().samples()).containsOnly(100_000L);
    // and the noise is the same on every engine
    HybridModel again = node(4, List.of(new HybridModel.Process(p, List.of(0), 0)))
        .withLinuxNoise("linux-default");
    RunResult act = new ActorEngine().run(again, RunSpec.until(END, threads));
    assertThat(act.digest()).isEqualTo(seq.digest());
    assertThat(again.cpu(0).latencies().get("write").samples()).containsExactly(writes);
  }

  @Test
  void ikcInterruptsTakeTheirTimeFromTheComputationRunningOnTheCpu() {
    // the main thread starts a worker, then makes an offloaded write whose buffer page the proxy
    // lacks: it sleeps and the worker computes 1 ms meanwhile; the CPU takes the remote fault's
    // interrupt and lookup, then the wake-up's interrupt, out of the worker's computation
    Program worker = Program.named("worker").compute(1_000_000).exit(0).build();
    Program main = Program.named("main").spawnThread(worker)
        .syscall("write", SyscallArgs.fd(1).size(64).buffer(0x10000)).exit(0).build();
    io.mcksim.config.McKernelCosts noTick =
        new io.mcksim.config.McKernelCosts(S.mckernel().tickInterval(), 0, S.mckernel().pageFault());
    HybridModel m = new HybridModel(List.of(4), "", List.of(new HybridModel.Process(main, List.of(0), 0)),
        SyscallTable.defaultTable(), IKC, OFF, SYS, S.remoteFault(), noTick, S.launch(), 1);
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    long irq = IKC.ipi() + S.remoteFault().resolve() + IKC.ipi();
    assertThat(irq).isEqualTo(900);
    assertThat(m.cpu(0).wakeUps()).isEqualTo(1);
    assertThat(m.cpu(0).irqNs()).isEqualTo(irq);
    assertThat(m.cpu(0).computeTimes().samples()).containsExactly(1_000_000 + irq);
    // a CPU whose thread computes alone, with no packet for it, loses nothing
    Program alone = Program.named("alone").compute(1_000_000).exit(0).build();
    HybridModel quiet = node(1, List.of(new HybridModel.Process(alone, List.of(0), 0)));
    new SequentialEngine().run(quiet, RunSpec.until(END, 1));
    assertThat(quiet.cpu(0).irqNs()).isZero();
    assertThat(quiet.cpu(0).computeTimes().samples()).containsExactly(1_000_000);
  }

  @Test
  void theTickAlsoTakesFromALocalCallWhileAnotherThreadIsRunnable() {
    // a local call of 5 ms; the second thread waits behind it, so the tick runs meanwhile
    SyscallCosts slowLocal = new SyscallCosts(SYS.localDefault(), java.util.Map.of("getpid", 5_000_000L),
        SYS.linuxEntry(), SYS.linuxDefault(), SYS.linux(), SYS.linuxPageFault());
    Program p = Program.named("caller").syscall("getpid").exit(0).build();
    HybridModel two = new HybridModel(List.of(4), "",
        List.of(new HybridModel.Process(p, List.of(0, 0), 0)), SyscallTable.defaultTable(), IKC, OFF,
        slowLocal, S.remoteFault(), S.mckernel(), S.launch(), 1);
    new SequentialEngine().run(two, RunSpec.until(END, 1));
    McKernelCpu.McThread first = two.cpu(0).threads().get(0);
    long[] calls = two.cpu(0).latencies().get("getpid").samples();
    long stretched = S.mckernel().stretch(first.startTime(), 5_000_000) - first.startTime();
    assertThat(stretched).isGreaterThan(5_000_000);
    // the first call ran while the second thread was runnable; the second ran alone
    assertThat(calls).containsExactly(stretched, 5_000_000L);
    assertThat(two.cpu(0).tickNs()).isEqualTo(stretched - 5_000_000);
  }

  @Test
  void schedYieldHandsTheCpuToTheNextRunnableThread() {
    // two threads on one CPU: each yields once, then computes
    Program p = Program.named("yielder").syscall("sched_yield").compute(100).exit(0).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(p, List.of(0, 0), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    McKernelCpu.McThread a = m.cpu(0).threads().get(0);
    McKernelCpu.McThread b = m.cpu(0).threads().get(1);
    long y = SYS.local("sched_yield");
    // a yields to b, b yields back to a: a computes and exits, then b
    assertThat(a.exitTime() - a.startTime()).isEqualTo(2 * y + 100);
    assertThat(b.exitTime() - a.startTime()).isEqualTo(2 * y + 200);
  }

  @Test
  void aSignalSentToTheProxyIsRelayedToMcKernelAndEndsTheProcess() {
    // two threads computing 10 ms each, one of them spinning in a long offloaded call meanwhile
    Program p = Program.named("victim").compute(10_000_000).exit(0).build();
    Program busy = Program.named("caller").syscall("write", SyscallArgs.fd(1).size(8)).compute(10_000_000)
        .exit(0).build();
    HybridModel m = node(3, List.of(new HybridModel.Process(p, List.of(0, 1), 0),
        new HybridModel.Process(busy, List.of(2), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(5_000_000);
    run.inject(m.proxyEntity(0), 0, new io.mcksim.ikc.Offload.Signal(15)); // SIGTERM
    run.advanceTo(50_000_000);
    for (int cpu = 0; cpu < 2; cpu++) {
      McKernelCpu.McThread t = m.cpu(cpu).threads().get(0);
      assertThat(t.exitSignal()).as("thread on CPU %d", cpu).isEqualTo(15);
      assertThat(t.exitTime()).isBetween(5_000_000L, 5_100_000L);
    }
    assertThat(m.proxy(0).signalsRelayed()).isEqualTo(1);
    assertThat(m.proxy(0).signalsAcked()).isEqualTo(1);
    assertThat(m.proxy(0).exitSignal()).isEqualTo(15);
    assertThat(m.process(0).exitSignal()).isEqualTo(15);
    // the other process is untouched
    assertThat(m.cpu(2).threads().get(0).exitStatus()).isZero();
    assertThat(m.proxy(1).exitStatus()).isZero();
  }

  @Test
  void aSignalIgnoredByDefaultIsAcknowledgedAndChangesNothing() {
    Program p = Program.named("calm").compute(10_000_000).exit(5).build();
    HybridModel m = node(1, List.of(new HybridModel.Process(p, List.of(0), 0)));
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(4_000_000);
    run.inject(m.proxyEntity(0), 0, new io.mcksim.ikc.Offload.Signal(17)); // SIGCHLD
    run.advanceTo(50_000_000);
    assertThat(m.proxy(0).signalsAcked()).isEqualTo(1);
    assertThat(m.proxy(0).exitStatus()).isEqualTo(5);
    assertThat(m.cpu(0).threads().get(0).exitSignal()).isZero();
  }

  @Test
  void aThreadKilledWhileItsCallIsOnLinuxIgnoresTheLateReply() {
    // the call spends 5 ms on Linux; the signal arrives meanwhile
    SyscallCosts slow = new SyscallCosts(SYS.localDefault(), SYS.local(), SYS.linuxEntry(),
        SYS.linuxDefault(), java.util.Map.of("write", 5_000_000L), SYS.linuxPageFault());
    Program p = Program.named("stuck").syscall("write", SyscallArgs.fd(1).size(8)).exit(0).build();
    HybridModel m = new HybridModel(List.of(4), "", List.of(new HybridModel.Process(p, List.of(0), 0)),
        SyscallTable.defaultTable(), IKC, OFF, slow, S.remoteFault(), S.mckernel(), S.launch(), 1);
    SequentialEngine.Session run = SequentialEngine.open(m);
    run.advanceTo(4_000_000);
    run.inject(m.proxyEntity(0), 0, new io.mcksim.ikc.Offload.Signal(9)); // SIGKILL
    run.advanceTo(50_000_000);
    assertThat(m.cpu(0).threads().get(0).exitSignal()).isEqualTo(9);
    assertThat(m.cpu(0).latencies()).doesNotContainKey("write");
    assertThat(m.proxy(0).exitSignal()).isEqualTo(9);
  }

  @Test
  void aLocalCallCostsExactlyItsConfiguredCostAndNeverLeavesMcKernel() {
    Program p = Program.named("local").repeat(50, b -> b.syscall("getpid").syscall("mmap",
        SyscallArgs.region(0, 1 << 20))).build();
    HybridModel m = node(2, List.of(new HybridModel.Process(p, List.of(1), 0)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));
    assertThat(m.cpu(1).latencies().get("getpid").samples()).hasSize(50).containsOnly(SYS.local("getpid"));
    assertThat(m.cpu(1).latencies().get("mmap").samples()).hasSize(50).containsOnly(SYS.local("mmap"));
    assertThat(m.mcctrl().handled()).isEqualTo(1); // only the launch's ack
    assertThat(m.cpu(1).threads().get(0).exitStatus()).isZero(); // the implicit exit
  }

  /**
   * Eight threads of one process each offload one write at time 0; the proxy has two workers.
   * mcctrl's interrupt handler takes the eight packets one after another (interrupt + dispatch each),
   * so request k reaches the proxy at d_k = a + (k + 1)(ipi + dispatch), with a the packets' arrival.
   * A request finding a worker idle wakes it (wake-up + service); one finding both busy queues and is
   * taken, without a wake-up, by the first worker to finish (service only). Its thread resumes after
   * reply write + resume.
   */
  @Test
  void moreRequestersThanProxyWorkersQueueAndWaitExactlyAsTheQueueSays() {
    int threads = 8;
    int workers = 2;
    Program p = Program.named("burst").syscall("write", SyscallArgs.fd(1).size(64)).exit(0).build();
    HybridModel m = node(threads, List.of(new HybridModel.Process(p,
        IntStream.range(0, threads).boxed().toList(), workers)));
    new SequentialEngine().run(m, RunSpec.until(END, 1));

    long arrival = OFF.marshal() + OFF.ikcEnqueue() + IKC.latency();
    long service = SYS.linux("write");
    long[] free = new long[workers];
    long[] done = new long[threads];
    long waited = 0;
    int queued = 0;
    // events in time order: dispatches d_k, and worker completions feeding the queue
    long[] dispatch = new long[threads];
    for (int k = 0; k < threads; k++) {
      dispatch[k] = arrival + (k + 1) * (IKC.ipi() + OFF.mcctrlDispatch());
    }
    int next = 0;
    java.util.Arrays.fill(free, Long.MIN_VALUE);
    boolean[] busy = new boolean[workers];
    List<Integer> waiting = new ArrayList<>();
    // simple discrete simulation of the proxy, mirroring its rules
    long now;
    while (next < threads || !waiting.isEmpty() || anyBusy(busy)) {
      long nextDispatch = next < threads ? dispatch[next] : Long.MAX_VALUE;
      int w = earliestBusy(busy, free);
      long nextFree = w < 0 ? Long.MAX_VALUE : free[w];
      if (nextDispatch <= nextFree) { // a dispatch at the same time as a completion comes first
        now = nextDispatch;
        int k = next++;
        int idle = idleWorker(busy);
        if (idle >= 0) {
          busy[idle] = true;
          free[idle] = now + OFF.proxyWakeup() + service;
          done[k] = free[idle];
        } else {
          waiting.add(k);
          queued++;
        }
      } else {
        now = nextFree;
        if (waiting.isEmpty()) {
          busy[w] = false;
        } else {
          int k = waiting.remove(0);
          waited += now - dispatch[k];
          free[w] = now + service;
          done[k] = free[w];
        }
      }
    }
    for (int t = 0; t < threads; t++) {
      long expected = done[t] + OFF.replyWrite() + OFF.resume();
      assertThat(m.cpu(t).latencies().get("write").samples()).as("thread on CPU %d", t)
          .containsExactly(expected);
    }
    assertThat(m.proxy(0).queued()).isEqualTo(queued).isEqualTo(threads - workers);
    assertThat(m.proxy(0).queueWaitNs()).isEqualTo(waited).isPositive();
    assertThat(m.proxy(0).served()).isEqualTo(threads);
  }

  private static boolean anyBusy(boolean[] busy) {
    for (boolean b : busy) {
      if (b) {
        return true;
      }
    }
    return false;
  }

  private static int idleWorker(boolean[] busy) {
    for (int i = 0; i < busy.length; i++) {
      if (!busy[i]) {
        return i;
      }
    }
    return -1;
  }

  private static int earliestBusy(boolean[] busy, long[] free) {
    int best = -1;
    for (int i = 0; i < busy.length; i++) {
      if (busy[i] && (best < 0 || free[i] < free[best])) {
        best = i;
      }
    }
    return best;
  }

  private static List<HybridModel.Process> mixed() {
    List<HybridModel.Process> ps = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      long work = 300 + 100 * p;
      Program child = Program.named("child" + p).syscall("write", SyscallArgs.fd(1).size(64).buffer(0x30000))
          .exit(p + 10).build();
      Program prog = Program.named("mix" + p).fork(child).repeat(200, b -> b.compute(work)
          .syscall("getpid").syscall("write", SyscallArgs.fd(1).size(512))
          .syscall("openat", SyscallArgs.fd(SyscallArgs.AT_FDCWD)).syscall("close", SyscallArgs.fd(3)))
          .exit(p).build();
      ps.add(new HybridModel.Process(prog, List.of(2 * p, 2 * p + 1), 1));
    }
    return ps;
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {1, 2, 4})
  void theSameNodeGivesTheSameDigestOnEveryEngineAndThreadCount(int threads) {
    HybridModel seq = node(8, mixed());
    RunResult a = new SequentialEngine().run(seq, RunSpec.until(END, 1));
    HybridModel act = node(8, mixed());
    RunResult b = new ActorEngine().run(act, RunSpec.until(END, threads));
    assertThat(b.digest()).isEqualTo(a.digest());
    assertThat(b.events()).isEqualTo(a.events()).isPositive();
    for (int c = 0; c < 8; c++) {
      assertThat(act.cpu(c).latencies().get("write").samples())
          .containsExactly(seq.cpu(c).latencies().get("write").samples());
      assertThat(act.cpu(c).threads().get(0).exitStatus()).isEqualTo(c / 2);
    }
    assertThat(act.proxy(0).queued()).isEqualTo(seq.proxy(0).queued()).isPositive();
    for (int slot = 0; slot < 8; slot++) { // 4 processes, each of whose 2 threads forked a child
      assertThat(act.proxy(slot).exitStatus()).as("slot %d", slot).isEqualTo(seq.proxy(slot).exitStatus());
    }
    assertThat(seq.proxy(7).exitStatus()).isBetween(10, 13);
  }
}
