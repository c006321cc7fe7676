package io.mcksim.actors.engine;

/**
 * The sequential baseline: one thread, one {@link EventQueue} over every event, popped in
 * the total order (time, target, source, sequence number). It runs the same {@link SimEntity} code with
 * the same lookahead checks as the actor engine and must give the same digest: it is both the
 * correctness oracle and the speed baseline.
 *
 * <p>It also offers an interactive {@link Session}, for tools that drive a model step by step from
 * outside (the admin shell): inject an event now, advance virtual time, look at the entities.
 */
public final class SequentialEngine implements Engine {

  /** The source id of events injected from outside the model. */
  public static final int EXTERNAL = -1;

  @Override
  public String name() {
    return "sequential";
  }

  @Override
  public RunResult run(SimModel model, RunSpec spec) {
    // a run logged event by event (chaos replays) takes every event from the queue
    Session session = new Session(model, spec.endTimeNs(), spec.runAhead() && spec.eventLog() == null);
    session.progress = spec.progress();
    session.log = spec.eventLog();
    spec.afterSetup().run();
    long start = spec.wallClock().getAsLong();
    session.drain(Long.MAX_VALUE);
    long wall = RunPlan.elapsed(spec.wallClock(), start);
    // what the model holds at the end is measured here: not the queue's spare room
    session.queue.trim();
    spec.atEnd().run();
    return session.plan.result(name(), 1, 0, 0, wall);
  }

  /** Starts {@code model} at virtual time 0 for step-by-step driving; it has no end time. */
  public static Session open(SimModel model) {
    // driven step by step and looked at in between: every entity's state as of the time reached
    return new Session(model, Long.MAX_VALUE, false);
  }

  /** A model running on the sequential engine, advanced by its caller. Not thread-safe. */
  public static final class Session {
    private final RunPlan plan;
    private final EventQueue queue;
    private long now;
    private long injected;
    private long drained;
    private Progress progress = Progress.NONE;
    private EventLog log;

    private Session(SimModel model, long endTime, boolean runAhead) {
      plan = new RunPlan(model, endTime);
      plan.runAhead = runAhead;
      queue = new EventQueue();
      plan.globalQueue = queue;
      for (EntityCell cell : plan.cells) {
        try {
          cell.start();
        } catch (RuntimeException | StackOverflowError e) {
          throw failure(plan, cell.id, -1, e);
        }
      }
    }

    /** Tells {@code eventLog} every event from now on (null: none). */
    public Session log(EventLog eventLog) {
      this.log = eventLog;
      return this;
    }

    /** Virtual time reached so far. */
    public long now() {
      return now;
    }

    /** Delivers {@code payload} to {@code target} at the current virtual time, from outside the model. */
    public void inject(int target, long data, Object payload) {
      if (target < 0 || target >= plan.cells.length) {
        throw new IllegalArgumentException("no entity " + target + " (ids are 0-" + (plan.cells.length - 1)
            + ")");
      }
      queue.push(now, target, EXTERNAL, injected++, data, payload);
    }

    /** Processes every event at or before {@code time}; virtual time is then {@code time}. */
    public void advanceTo(long time) {
      if (time < now) {
        throw new IllegalArgumentException("cannot go back in virtual time from " + now + "ns to " + time
            + "ns");
      }
      drain(time);
      now = time;
    }

    /** Time of the next pending event, or {@code Long.MAX_VALUE} if none. */
    public long nextEventTime() {
      return queue.minTime();
    }

    /** The outcome so far: events, digest, virtual time. */
    public RunResult result() {
      return plan.result("sequential", 1, 0, 0, 0);
    }

    private void drain(long limit) {
      EntityCell[] cells = plan.cells;
      while (!queue.isEmpty() && queue.minTime() <= limit) {
        if ((++drained & (Progress.SEQUENTIAL_STRIDE - 1)) == 0) {
          progress.reached(queue.minTime(), drained);
        }
        queue.pop();
        EntityCell cell = cells[queue.topTarget];
        long t = queue.topTime;
        int target = queue.topTarget;
        int source = queue.topSource;
        long seq = queue.topSeq;
        long data = queue.topData;
        Object payload = queue.topPayload;
        long counted = cell.events;
        try {
          cell.deliver(t, source, seq, data, payload);
        } catch (RuntimeException | StackOverflowError e) {
          if (log != null) {
            log.event(t, target, source, seq, data, payload);
          }
          throw failure(plan, cell.id, t, e);
        }
        if (log != null && cell.events != counted) {
          // the log holds the events the run counts: not the timer of an ask that had already ended
          log.event(t, target, source, seq, data, payload);
        }
      }
    }
  }

  static SimulationFailure failure(RunPlan plan, int entity, long time, Throwable cause) {
    String when = time < 0 ? "while starting" : "at t=" + time + "ns";
    return new SimulationFailure("entity " + entity + " failed " + when + ": " + cause + "; "
        + plan.replayHint(), cause, entity, time);
  }
}
