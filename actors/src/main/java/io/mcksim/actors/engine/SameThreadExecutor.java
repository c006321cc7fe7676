package io.mcksim.actors.engine;

import com.typesafe.config.Config;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
      queued.running = true;
      RuntimeException first = null;
      try {
        for (Runnable next = task; next != null; next = queued.tasks.poll()) {
          try {
            next.run();
          } catch (RuntimeException e) { // the tasks queued behind it still run
            if (first == null) {
              first = e;
            }
          }
        }
      } finally {
        queued.running = false;
      }
      if (first != null) {
        throw first;
      }
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
