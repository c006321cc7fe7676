package io.mcksim.actors.engine;

import io.mcksim.actors.engine.ClusterMessages.Expect;
import io.mcksim.actors.engine.ClusterMessages.WindowOrders;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A worker JVM's end of the window protocol: it hands the coordinator's orders for a window, which
 * arrive as one message for all of this worker's domains, to each of them, and sends their reports
 * back as one message once all have reported. Only one window is ever in flight (the coordinator
 * orders the next only when every report of the last is in), so counting reports is enough. A model
 * failure goes on at once.
 */
final class WindowRelay extends AbstractBehavior<EngineCoordinator.Command> {

  private final DomainSequencer.Peers domains;
  private ActorRef<EngineCoordinator.Command> coordinator;
  /** Reports still to come in this window, or -1 before its orders (or the start's count) arrived. */
  private int expected = -1;
  private List<EngineCoordinator.WindowDone> reports = new ArrayList<>();
  /** Failures that came before the coordinator was known. */
  private final List<EngineCoordinator.Command> held = new ArrayList<>();

  static Behavior<EngineCoordinator.Command> create(DomainSequencer.Peers domains) {
    return Behaviors.setup(ctx -> new WindowRelay(ctx, domains));
  }

  private WindowRelay(ActorContext<EngineCoordinator.Command> context, DomainSequencer.Peers domains) {
    super(context);
    this.domains = domains;
  }

  @Override
  public Receive<EngineCoordinator.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Expect.class, this::onExpect)
        .onMessage(WindowOrders.class, this::onOrders)
        .onMessage(EngineCoordinator.WindowDone.class, this::onReport)
        .onMessage(EngineCoordinator.DomainFailed.class, this::onFailure)
        .build();
  }

  private Behavior<EngineCoordinator.Command> onExpect(Expect expect) {
    coordinator = expect.coordinator();
    held.forEach(coordinator::tell);
    held.clear();
    expected = expect.domains();
    return flushIfDone();
  }

  private Behavior<EngineCoordinator.Command> onOrders(WindowOrders orders) {
    int[] ds = orders.domains();
    expected = ds.length;
    for (int i = 0; i < ds.length; i++) {
      domains.tell(ds[i], new DomainSequencer.RunWindow(orders.window(), orders.start(), orders.end(),
          orders.inboundTotals()[i]));
    }
    return this;
  }

  private Behavior<EngineCoordinator.Command> onReport(EngineCoordinator.WindowDone done) {
    reports.add(done);
    return flushIfDone();
  }

  private Behavior<EngineCoordinator.Command> flushIfDone() {
    if (expected >= 0 && reports.size() == expected) {
      coordinator.tell(new EngineCoordinator.WindowReports(reports));
      reports = new ArrayList<>();
      expected = -1;
    }
    return this;
  }

  private Behavior<EngineCoordinator.Command> onFailure(EngineCoordinator.DomainFailed failed) {
    if (coordinator == null) {
      held.add(failed);
    } else {
      coordinator.tell(failed);
    }
    return this;
  }
}
