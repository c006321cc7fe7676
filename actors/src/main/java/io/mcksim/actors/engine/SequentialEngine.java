package io.mcksim.actors.engine;

/**
 * The sequential baseline: one thread, one primitive-keyed priority queue over every event, popped in
 * the total order (time, target, source, sequence number). It runs the same {@link SimEntity} code with
 * the same lookahead checks as the actor engine and must give the same digest: it is both the
 * correctness oracle and the speed baseline.
 */
public final class SequentialEngine implements Engine {

  @Override
  public String name() {
    return "sequential";
  }

  @Override
  public RunResult run(SimModel model, RunSpec spec) {
    RunPlan plan = new RunPlan(model, spec.endTimeNs());
    EventHeap queue = new EventHeap(plan.cells.length * 2);
    for (EntityCell cell : plan.cells) {
      cell.useGlobalQueue(queue);
    }
    for (EntityCell cell : plan.cells) {
      runGuarded(plan, cell, -1, () -> cell.start());
    }
    spec.afterSetup().run();
    long start = spec.wallClock().getAsLong();
    EntityCell[] cells = plan.cells;
    while (!queue.isEmpty()) {
      queue.pop();
      EntityCell cell = cells[queue.topTarget];
      long t = queue.topTime;
      try {
        cell.deliver(t, queue.topSource, queue.topSeq, queue.topData, queue.topPayload);
      } catch (RuntimeException | StackOverflowError e) {
        throw failure(plan, cell.id, t, e);
      }
    }
    long wall = RunPlan.elapsed(spec.wallClock(), start);
    return plan.result(name(), 1, 0, 0, wall);
  }

  private static void runGuarded(RunPlan plan, EntityCell cell, long time, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException | StackOverflowError e) {
      throw failure(plan, cell.id, time, e);
    }
  }

  static SimulationFailure failure(RunPlan plan, int entity, long time, Throwable cause) {
    String when = time < 0 ? "while starting" : "at t=" + time + "ns";
    return new SimulationFailure("entity " + entity + " failed " + when + ": " + cause + "; "
        + plan.replayHint(), cause);
  }
}
