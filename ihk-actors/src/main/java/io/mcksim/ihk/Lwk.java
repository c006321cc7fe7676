package io.mcksim.ihk;

import io.mcksim.config.LifecycleCosts;

/**
 * What IHK asks of a lightweight kernel's CPUs and memory when it boots or shuts down an OS instance: the
 * interface a lightweight kernel is built on. {@link OsInstance} sends these; McKernel's own CPU and
 * memory-partition entities answer them (the kernel's CPUs and memory are the ones IHK brings up, not
 * copies of them), each after the lifecycle cost ({@code costs.lifecycle}) of its step.
 */
public final class Lwk {

  private Lwk() {}

  /** Bring this CPU up as CPU {@code index} of OS {@code os}; {@code fail} injects a fault. */
  public record BringUp(long generation, int os, int index, boolean fail, int replyTo)
      implements IhkMessage {}

  /** The CPU is up: {@code boot-per-cpu} + message after {@link BringUp}. */
  public record Online(long generation, int cpu, int index) implements IhkMessage {}

  /** The CPU did not come up. */
  public record Failed(long generation, int cpu, int index, String reason) implements IhkMessage {}

  /** Stop this CPU (shutdown). */
  public record Stop(long generation, int replyTo) implements IhkMessage {}

  /** The CPU has stopped: {@code shutdown-per-cpu} + message after {@link Stop}. */
  public record Stopped(long generation, int cpu) implements IhkMessage {}

  /** Initialise {@code bytes} of the instance's memory on this NUMA node. */
  public record Init(long generation, int os, long bytes, int replyTo) implements IhkMessage {}

  /** The memory is initialised: {@link #initTime} + message after {@link Init}. */
  public record Ready(long generation, int numa, long bytes) implements IhkMessage {}

  /** What a CPU's answer to {@link BringUp} takes. */
  public static long bringUpTime(LifecycleCosts costs) {
    return costs.bootPerCpu() + costs.message();
  }

  /** What a CPU's answer to {@link Stop} takes. */
  public static long stopTime(LifecycleCosts costs) {
    return costs.shutdownPerCpu() + costs.message();
  }

  /**
   * What a memory partition's answer to {@link Init} takes: bytes in MiB x boot-per-gib / 1024 (bytes
   * are 4 MiB units), plus a message.
   */
  public static long initTime(long bytes, LifecycleCosts costs) {
    return (bytes >> 20) * costs.bootPerGib() / 1024 + costs.message();
  }

  /** The reason a CPU given {@link BringUp#fail()} reports. */
  public static final String INJECTED_FAILURE = "no response to the startup IPI (injected fault)";
}
