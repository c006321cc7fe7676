package io.mcksim.linux;

import io.mcksim.actors.engine.Fingerprinted;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.actors.engine.SimEntity;
import io.mcksim.config.OffloadCosts;
import io.mcksim.config.SyscallCosts;
import io.mcksim.workloads.LinuxSyscalls;
import java.util.ArrayDeque;

/**
 * The proxy process ({@code mcexec}) of one McKernel process: a pool of worker threads that run
 * offloaded system calls on Linux. A request mcctrl hands over goes to an idle worker, which wakes
 * ({@code costs.offload.proxy-wakeup}), runs the call for its Linux service time
 * ({@code costs.syscall.linux}), and has mcctrl write the result into the waiting McKernel thread's
 * memory ({@code costs.offload.reply-write}). With every worker busy, requests queue (mcctrl's
 * per-process queue, kept here with the process's record) and a worker that finishes takes the next
 * at once, without going to sleep.
 */
public final class ProxyProcess implements SimEntity {

  private record Done(Offload.Dispatch request) implements Fingerprinted {
    @Override
    public long fingerprint() {
      return request.fingerprint();
    }
  }

  private final int pid;
  private final int workers;
  private final OffloadCosts offload;
  private final SyscallCosts syscalls;
  private int idle;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private long served;
  private long queued;
  private long queueWaitNs;
  private long maxQueueWaitNs;
  private int maxQueueLength;

  /** @param workers the worker pool ({@code mcexec -t}); at least one */
  public ProxyProcess(int pid, int workers, OffloadCosts offload, SyscallCosts syscalls) {
    if (workers < 1) {
      throw new IllegalArgumentException("mcexec -t: a proxy needs at least one worker thread, got "
          + workers);
    }
    this.pid = pid;
    this.workers = workers;
    this.idle = workers;
    this.offload = offload;
    this.syscalls = syscalls;
  }

  @Override
  public void onEvent(SimContext ctx, int source, long data, Object payload) {
    if (payload instanceof Offload.Dispatch d) {
      if (idle > 0) {
        idle--;
        run(ctx, d, true);
      } else {
        queue.add(d);
        queue.add(ctx.now());
        queued++;
        maxQueueLength = Math.max(maxQueueLength, queue.size() / 2);
      }
    } else if (payload instanceof Done done) {
      Offload.Dispatch d = done.request();
      served++;
      ctx.send(d.replyTo(), offload.replyWrite(), 0, new Offload.Return(d.request().tid(), 0));
      if (queue.isEmpty()) {
        idle++;
      } else {
        Offload.Dispatch next = (Offload.Dispatch) queue.poll();
        long wait = ctx.now() - (Long) queue.poll();
        queueWaitNs += wait;
        maxQueueWaitNs = Math.max(maxQueueWaitNs, wait);
        run(ctx, next, false);
      }
    } else {
      throw new IllegalArgumentException("proxy of pid " + pid + " got an unknown message " + payload);
    }
  }

  private void run(SimContext ctx, Offload.Dispatch d, boolean wake) {
    String name = LinuxSyscalls.name(d.request().number());
    long service = syscalls.linux(name);
    ctx.send(ctx.self(), (wake ? offload.proxyWakeup() : 0) + service, 0, new Done(d));
  }

  public int pid() {
    return pid;
  }

  public int workers() {
    return workers;
  }

  public long served() {
    return served;
  }

  /** Requests that found every worker busy. */
  public long queued() {
    return queued;
  }

  /** Time queued requests waited for a worker, summed. */
  public long queueWaitNs() {
    return queueWaitNs;
  }

  public long maxQueueWaitNs() {
    return maxQueueWaitNs;
  }

  public int maxQueueLength() {
    return maxQueueLength;
  }
}
