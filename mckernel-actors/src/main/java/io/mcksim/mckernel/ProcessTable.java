package io.mcksim.mckernel;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.RandomStreams;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.actors.serialization.SimMessage;
import io.mcksim.ikc.Offload;
import io.mcksim.workloads.Program;
import java.util.List;
import java.util.TreeSet;

/**
 * The node's table of process slots: each slot is a McKernel process and its proxy. A fork takes the
 * lowest free slot: the child's address space is a copy of the parent's, its proxy is a fork of the
 * parent's mcexec with its own pid (the slot's), and its one thread goes on the forking CPU's run
 * queue. With no free slot the fork fails (EAGAIN).
 */
public final class ProcessTable implements SimEntity {

  /**
   * A fork, from the parent's address space, asked by the thread on CPU entity {@code cpuEntity}; the
   * child's thread will run on CPU entity {@code childCpuEntity}; the child inherits the parent's signal
   * {@code actions} (those rt_sigaction set).
   */
  public record Fork(int parentPid, int tid, int cpuEntity, Program child, List<long[]> areas,
      int childCpuEntity, List<io.mcksim.workloads.Op.SigAction> actions) implements Fingerprinted, SimMessage {
    /** A fork of a process that has changed no signal's action. */
    public Fork(int parentPid, int tid, int cpuEntity, Program child, List<long[]> areas, int childCpuEntity) {
      this(parentPid, tid, cpuEntity, child, areas, childCpuEntity, new java.util.ArrayList<>());
    }

    @Override
    public long fingerprint() {
      return RandomStreams.mix64(((long) parentPid << 32) ^ tid) ^ cpuEntity ^ ((long) childCpuEntity << 20);
    }
  }

  /** The fork's result for the forking thread: the child's pid, or a negative error number. */
  public record Forked(int tid, int childPid, Program child) implements Fingerprinted, SimMessage {
    @Override
    public long fingerprint() {
      return ((long) tid << 32) ^ childPid;
    }
  }

  /** -EAGAIN: no process slot is free. */
  public static final int EAGAIN = -11;

  private final TreeSet<Integer> free = new TreeSet<>();
  /** How many process slots the instance has. */
  private final int slots;
  private final int firstPid;
  private final java.util.function.IntUnaryOperator processEntity;
  private final java.util.function.IntUnaryOperator proxyEntity;
  private final long hop;
  private long forks;

  /**
   * @param freeSlots     slots no process occupies at time 0
   * @param processEntity the McProcess entity of a slot
   * @param proxyEntity   the proxy entity of a slot
   */
  public ProcessTable(List<Integer> freeSlots, int firstPid,
      java.util.function.IntUnaryOperator processEntity,
      java.util.function.IntUnaryOperator proxyEntity, long hop) {
    this(freeSlots, firstPid, processEntity, proxyEntity, hop, -1);
  }

  /**
   * @param slots the instance's process slots (pids {@code firstPid} to {@code firstPid + slots - 1}), for
   *              signals sent by pid; -1: those up to the last free slot
   */
  public ProcessTable(List<Integer> freeSlots, int firstPid,
      java.util.function.IntUnaryOperator processEntity,
      java.util.function.IntUnaryOperator proxyEntity, long hop, int slots) {
    this.slots = slots >= 0 ? slots : freeSlots.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    free.addAll(freeSlots);
    this.firstPid = firstPid;
    this.processEntity = processEntity;
    this.proxyEntity = proxyEntity;
    this.hop = hop;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof McProcess.Signal s) {
      // kill(pid, ...): the process of a pid in use takes it; any other pid is -ESRCH
      int slot = s.pid() - firstPid;
      if (slot >= 0 && slot < slots) {
        ctx.send(processEntity.applyAsInt(slot), hop, 0, s);
      } else if (s.replyTo() >= 0) {
        ctx.send(s.replyTo(), hop, 0, new McProcess.SignalSent(s.senderTid(), McProcess.ESRCH));
      }
      return;
    }
    if (!(payload instanceof Fork f)) {
      throw new IllegalArgumentException("process table got an unknown message " + payload);
    }
    Integer slot = free.pollFirst();
    if (slot == null) {
      ctx.send(f.cpuEntity(), hop, 0, new Forked(f.tid(), EAGAIN, f.child()));
      return;
    }
    forks++;
    int childPid = firstPid + slot;
    ctx.send(processEntity.applyAsInt(slot), hop, 0, new McProcess.Adopt(f.parentPid(), f.areas(),
        f.childCpuEntity(), f.actions()));
    ctx.send(proxyEntity.applyAsInt(slot), hop, 0, new Offload.ProxyForked(f.parentPid()));
    ctx.send(f.cpuEntity(), hop, 0, new Forked(f.tid(), childPid, f.child()));
  }

  public long forks() {
    return forks;
  }
}
