package io.mcksim.actors.engine;

import com.typesafe.config.Config;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

/**
 * The executor of the dispatcher a domain's event stream runs on ({@code
 * mcksim.actors.engine.stream-dispatcher}, {@link StreamLink}): each task runs at once on the thread
 * that hands it over, so that the stream's actor runs on its domain's thread, right when the domain
 * offers it chunks or takes what came out, instead of waiting for a thread of its own to be woken
 * (on a busy machine that wake-up, twice per hand-over, cost more than the stream's work).
 *
 * <p>Trampolined: a task handed over while one already runs on this thread (the stream's actor
 * scheduling itself again, another stream's actor) runs after it, on the same thread, never nested,
 * so the stack stays flat. Pekko's mailbox keeps an actor to one thread at a time as on any dispatcher:
 * if another thread runs it already, the message waits in its mailbox and that thread takes it.
 */
public final class SameThreadExecutor extends ExecutorServiceConfigurator {

  /** Tasks handed over on this thread while one runs here. */
  private static final ThreadLocal<Queued> QUEUED = ThreadLocal.withInitial(Queued::new);

  /** A thread's tasks waiting for the one it runs. */
  private static final class Queued {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    boolean running;
  }

  public SameThreadExecutor(Config config, DispatcherPrerequisites prerequisites) {
    super(config, prerequisites);
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
    return Trampoline::new;
  }

  /**
   * Runs {@code work} on the calling thread with every task handed over meanwhile held back, then those
   * tasks, trampolined as any: a domain that offers its stream several chunks in a row gets them
   * carried in one run of the stream's actor (the first offer wakes it, the others find it awake),
   * instead of one run per chunk. Inside a running task, {@code work} runs as part of it.
   */
  static boolean holding(BooleanSupplier work) {
    Queued queued = QUEUED.get();
    if (queued.running) {
      return work.getAsBoolean();
    }
    queued.running = true;
    boolean result;
    try {
      result = work.getAsBoolean();
    } catch (RuntimeException | Error e) {
      queued.running = false;
      throw e;
    }
    runQueued(queued, null);
    return result;
  }

  /**
   * Runs {@code first} (if not null), then every task queued on this thread, until none is left; the
   * thread is marked running throughout. A task that throws does not stop those behind it.
   */
  private static void runQueued(Queued queued, Runnable first) {
    queued.running = true;
    RuntimeException thrown = null;
    try {
      for (Runnable next = first != null ? first : queued.tasks.poll(); next != null;
          next = queued.tasks.poll()) {
        try {
          next.run();
        } catch (RuntimeException e) { // the tasks queued behind it still run
          if (thrown == null) {
            thrown = e;
          }
        }
      }
    } finally {
      queued.running = false;
    }
    if (thrown != null) {
      throw thrown;
    }
  }

  /** Runs each task on the calling thread, after the one running there, if any. */
  static final class Trampoline extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable task) {
      Queued queued = QUEUED.get();
      if (queued.running) {
        queued.tasks.add(task);
        return;
      }
      runQueued(queued, task);
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }
}
