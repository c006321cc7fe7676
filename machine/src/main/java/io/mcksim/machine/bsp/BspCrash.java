package io.mcksim.machine.bsp;

import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.Scenario;
import io.mcksim.linux.LinuxCpu;
import io.mcksim.linux.LinuxService;
import io.mcksim.linux.Mcctrl;
import io.mcksim.machine.HybridModel;
import io.mcksim.mckernel.McKernelCpu;
import java.util.EnumSet;
import java.util.Set;

/**
 * A crash of one part of one node while a BSP application runs on the full node model ({@link BspNodes}),
 * struck through the fault entry points of the real entities, and what it left, read from them.
 *
 * <p>What a crash strikes is the design's architecture (see {@link #strikes}): McKernel and Hobbes run
 * their own kernel beside Linux, so an LWK crash panics the LWK's CPUs and a Linux crash halts the
 * node's Linux CPUs (the proxies' workers' and the forwarded calls' CPUs) and mcctrl, and Kitten (Hobbes) sees its
 * host gone, so its remote calls fail, while McKernel's offloaded calls wait in the IKC ring for a proxy
 * that no longer answers. mOS shares one kernel, so either crash takes both. Under L4Linux the
 * application's processes belong to the Linux server, so the microkernel's crash and Linux's both halt
 * every Linux CPU of the node, the application's among them. Linux and Argo have no lightweight kernel;
 * a Linux crash halts the CPUs their application runs on.
 *
 * <p>The consequences follow from the real paths; the run ends at a bounded virtual time, and a thread
 * that has neither exited nor lost its CPU by then is waiting forever (it stalls).
 */
public final class BspCrash {

  private BspCrash() {}

  /** The entry points a crash strikes on the node. */
  enum Strike {
    /** {@link McKernelCpu.Panic} on every CPU of the lightweight kernel. */
    PANIC_LWK,
    /** {@link LinuxService.Halt} and {@link LinuxCpu.Halt} on every Linux CPU, {@link Mcctrl.Halt} on mcctrl. */
    HALT_LINUX,
    /** {@link McKernelCpu.LinuxGone} on every CPU of the lightweight kernel: it sees its host gone. */
    LWK_SEES_LINUX_GONE
  }

  /**
   * What a crash of {@code part} ("lwk" or "linux") takes down under design {@code os}; null where the
   * design has no such part (Linux and Argo have no lightweight kernel).
   */
  static Set<Strike> strikes(String os, String part) {
    boolean lwk = switch (part) {
      case "lwk" -> true;
      case "linux" -> false;
      default -> throw new IllegalArgumentException("a crash takes the node's lwk or its linux, not " + part);
    };
    return switch (os) {
      case "linux", "argo" -> lwk ? null : EnumSet.of(Strike.HALT_LINUX);
      case "mckernel" -> EnumSet.of(lwk ? Strike.PANIC_LWK : Strike.HALT_LINUX);
      case "hobbes" -> lwk ? EnumSet.of(Strike.PANIC_LWK) : EnumSet.of(Strike.HALT_LINUX, Strike.LWK_SEES_LINUX_GONE);
      case "mos" -> EnumSet.of(Strike.PANIC_LWK, Strike.HALT_LINUX);
      case "l4linux" -> EnumSet.of(Strike.HALT_LINUX);
      default -> throw new IllegalArgumentException("unknown OS model " + os);
    };
  }

  /**
   * What a crash left of the application and of the crashed node's Linux.
   *
   * @param crashedNodeThreads the crashed node's application threads
   * @param killed             of those, threads whose CPU stopped before they exited
   * @param finished           of those, threads that exited
   * @param othersFinished     threads of the other nodes that exited
   * @param otherThreads       threads of the other nodes
   * @param linuxAlive         whether every Linux CPU of the crashed node still runs
   * @param failedCalls        calls that failed, over the machine
   */
  public record Report(long crashedNodeThreads, long killed, long finished, long othersFinished,
      long otherThreads, boolean linuxAlive, long failedCalls) {

    /** Whether every thread of the application exited. */
    public boolean applicationSurvived() {
      return finished == crashedNodeThreads && othersFinished == otherThreads;
    }

    /** Threads that neither exited nor lost their CPU: they wait forever. */
    public long stalled() {
      return crashedNodeThreads - killed - finished + otherThreads - othersFinished;
    }

    /** What compare-os prints: the application killed, running on or stalled, and Linux up or down. */
    public String summary() {
      String app = killed == crashedNodeThreads ? "application killed"
          : applicationSurvived() ? "application runs on" : "application stalls";
      return app + ", Linux " + (linuxAlive ? "runs on" : "down");
    }
  }

  /**
   * Runs {@code s}'s BSP application on the sequential engine, crashes {@code part} of node {@code node}
   * at virtual time {@code atNs}, runs on to {@code untilNs}, and reads what is left; null where the
   * design has no such part.
   */
  public static Report run(Scenario s, String part, int node, long atNs, long untilNs) {
    BspNodes app = BspNodes.of(s);
    Set<Strike> strikes = strikes(app.plan().os(), part);
    if (strikes == null) {
      return null;
    }
    if (untilNs < atNs) {
      throw new IllegalArgumentException("the run must go on after the crash: until " + untilNs + " < " + atNs);
    }
    HybridModel model = app.model();
    SequentialEngine.Session run = SequentialEngine.open(app);
    run.advanceTo(atNs);
    for (int id = 0; id < model.entityCount(); id++) {
      if (model.wiring().nodeOf(id) == node) {
        strike(run, id, model.entity(id), strikes);
      }
    }
    run.advanceTo(untilNs);
    return report(model, node);
  }

  private static void strike(SequentialEngine.Session run, int id, SimEntity e, Set<Strike> strikes) {
    if (e instanceof McKernelCpu) {
      if (strikes.contains(Strike.PANIC_LWK)) {
        run.inject(id, 0, new McKernelCpu.Panic());
      } else if (strikes.contains(Strike.LWK_SEES_LINUX_GONE)) {
        run.inject(id, 0, new McKernelCpu.LinuxGone());
      }
    } else if (strikes.contains(Strike.HALT_LINUX)) {
      if (e instanceof LinuxService) {
        run.inject(id, 0, new LinuxService.Halt());
      } else if (e instanceof LinuxCpu) {
        run.inject(id, 0, new LinuxCpu.Halt());
      } else if (e instanceof Mcctrl) {
        run.inject(id, 0, new Mcctrl.Halt());
      }
    }
  }

  /** What the entities show once the run is over. */
  static Report report(HybridModel model, int node) {
    long threads = 0;
    long killed = 0;
    long finished = 0;
    long others = 0;
    long othersFinished = 0;
    long failed = 0;
    boolean linuxAlive = true;
    for (int id = 0; id < model.entityCount(); id++) {
      boolean crashed = model.wiring().nodeOf(id) == node;
      SimEntity e = model.entity(id);
      if (e instanceof McKernelCpu cpu) {
        failed += cpu.failedCalls();
        for (McKernelCpu.McThread t : cpu.threads()) {
          boolean exited = t.exitTime() >= 0;
          if (crashed) {
            threads++;
            finished += exited ? 1 : 0;
            killed += !exited && cpu.stopped() ? 1 : 0;
          } else {
            others++;
            othersFinished += exited ? 1 : 0;
          }
        }
      } else if (e instanceof LinuxCpu cpu) {
        boolean exited = cpu.exitTime() >= 0;
        if (crashed) {
          threads++;
          finished += exited ? 1 : 0;
          killed += !exited && cpu.stopped() ? 1 : 0;
          linuxAlive &= !cpu.stopped();
        } else {
          others++;
          othersFinished += exited ? 1 : 0;
        }
      } else if (e instanceof LinuxService service && crashed) {
        linuxAlive &= !service.halted();
      } else if (e instanceof Mcctrl mcctrl && crashed) {
        linuxAlive &= !mcctrl.halted();
      }
    }
    return new Report(threads, killed, finished, othersFinished, others, linuxAlive, failed);
  }
}
