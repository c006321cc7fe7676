package io.mcksim.mckernel.chaos;

/**
 * The events of a chaos run, between the entities of one node. They never leave their JVM (a chaos
 * run is one sequential engine), so they are plain records, not cross-JVM messages.
 */
final class Msg {

  private Msg() {}

  // ------------------------------------------------ to the IHK agent (IHK master, ihkmond, job manager)

  /** A scheduled fault, striking at {@code atNs} (cpu: a McKernel CPU index, or -1 for all). */
  record Strike(String kind, int cpu, long durationNs, long atNs) {}

  /** ihkmond's periodic check. */
  record MonitorTick(long generation) {}

  /** A McKernel CPU is alive (it updates its heartbeat counter). */
  record Heartbeat(int cpu, long generation) {}

  /** The boot of generation {@code generation} has finished (or failed, by an injected fault). */
  record BootDone(long generation, boolean ok) {}

  /** The instance's CPUs have stopped after shutdown. */
  record ShutdownDone(long generation) {}

  /** A McKernel CPU's monitor word reads PANIC: the status notice. */
  record PanicNotice(int cpu, long generation) {}

  /** A thread of process {@code pid} wrote the checkpoint after iteration {@code iteration}. */
  record Checkpointed(int pid, int cpu, int iteration) {}

  /** A thread of process {@code pid} finished its iterations. */
  record ThreadDone(int pid, int cpu) {}

  /**
   * A thread of process {@code pid} died of signal {@code signal} (an allocation failed: SIGABRT); the
   * partition has memory again from {@code memoryBackNs}.
   */
  record ThreadAborted(int pid, int cpu, int signal, long memoryBackNs) {}

  /** The proxy of process {@code pid} exited with {@code status} (the McKernel process's exit status). */
  record ProxyExited(int pid, int status) {}

  /** The resource manager's time limit for process {@code pid}. */
  record TimeLimit(int pid) {}

  /** IHK's reboot after backoff. */
  record Reboot(long generation) {}

  /** Launch the job's next process now (memory permitting). */
  record Relaunch(int attempt) {}

  // ------------------------------------------------ to a McKernel CPU

  /** Run the thread of process {@code pid} from iteration {@code from}. */
  record Run(int pid, int from) {}

  /** The thread's compute (or checkpoint) up to now is done. */
  record Step(int pid, int iteration) {}

  /** Time to update the heartbeat counter. */
  record Beat(long generation) {}

  /** Kill this CPU's thread of process {@code pid}. */
  record Stop(int pid) {}

  /** The instance goes down (PANIC, HUNGUP, shutdown): the CPU stops. */
  record Halt(long generation) {}

  /** The instance of generation {@code generation} has booted: the CPU runs. */
  record Booted(long generation) {}

  /** A fault on this CPU or its IKC channel. */
  record Inject(String kind, long durationNs) {}

  /** The node is gone. */
  record Lose() {}

  /** The job is over on this node: periodic work stops. */
  record Quiesce() {}

  // ------------------------------------------------ to the Linux CPU (proxy, Linux work) and service

  /** mcexec starts the proxy of process {@code pid}. */
  record Launch(int pid) {}

  /** A call for the Linux service. */
  record Call(int pid, int cpu, long seq) {}

  /** The service's answer. */
  record Result(int pid, int cpu, long seq, boolean ok) {}

  /** Kill the proxy of process {@code pid}; the McKernel process ends with exit status {@code status}. */
  record Kill(int pid, int status) {}

  /** Process {@code pid} exited normally: its proxy exits with status 0. */
  record Exited(int pid) {}

  /** mcctrl's notice that the LWK failed. */
  record InstanceDown() {}

  /** The next slice of Linux-side work. */
  record LinuxWork(long index) {}

  /** An orphaned proxy polls its dead IKC channel again. */
  record Poll(int pid) {}

  /** The Linux CPU's running item is done. */
  record CpuFree() {}

  /** The crashed service is back. */
  record ServiceBack(long crash) {}
}
