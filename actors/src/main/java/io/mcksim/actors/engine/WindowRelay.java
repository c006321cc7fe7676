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
 * A worker JVM's end of the window protocol: it starts its domains, hands the coordinator's orders for a window, which
 * arrive as one message for all of this worker's domains, to each of them, and sends their reports
 * back as one message once all have reported. Only one window is ever in flight (the coordinator
 * orders the next only when every report of the last is in), so counting reports is enough. A model
 * failure goes on at once.
 *
 * <p>It also carries the window's cross-domain batches between workers: its domains hand it those for
 * other workers' domains, and once all have reported it sends them to each such worker's relay as one
 * message, before the reports; that relay hands each batch to its domain. A domain counts the batches
 * it expects, so when they arrive does not matter.
 */
final class WindowRelay extends AbstractBehavior<EngineCoordinator.Command> {

  /** A batch for another worker's domain, from one of this worker's domains. */
  record Outgoing(int dest, DomainSequencer.CrossBatch batch) implements EngineCoordinator.Command {}

  private final DomainSequencer.Peers domains;
  private final DomainShards shards;
  private final int worker;
  private List<ActorRef<EngineCoordinator.Command>> relays = List.of();
  /** This window's outgoing batches, by destination worker. */
  private final java.util.Map<Integer, List<Outgoing>> outgoing = new java.util.TreeMap<>();
  private ActorRef<EngineCoordinator.Command> coordinator;
  /** Reports this window has, or -1 between windows (reports come only after the orders, or the start). */
  private int expected = -1;
  private List<EngineCoordinator.WindowDone> reports = new ArrayList<>();

  /**
   * @param domains how to reach any domain (this worker's are local)
   * @param shards  which worker holds which domain
   */
  static Behavior<EngineCoordinator.Command> create(DomainSequencer.Peers domains, DomainShards shards,
      int worker) {
    return Behaviors.setup(ctx -> new WindowRelay(ctx, domains, shards, worker));
  }

  private WindowRelay(ActorContext<EngineCoordinator.Command> context, DomainSequencer.Peers domains,
      DomainShards shards, int worker) {
    super(context);
    this.domains = domains;
    this.shards = shards;
    this.worker = worker;
  }

  @Override
  public Receive<EngineCoordinator.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Expect.class, this::onExpect)
        .onMessage(WindowOrders.class, this::onOrders)
        .onMessage(EngineCoordinator.WindowDone.class, this::onReport)
        .onMessage(EngineCoordinator.DomainFailed.class, this::onFailure)
        .onMessage(Outgoing.class, this::onOutgoing)
        .onMessage(ClusterMessages.Batches.class, this::onBatches)
        .build();
  }

  private Behavior<EngineCoordinator.Command> onExpect(Expect expect) {
    coordinator = expect.coordinator();
    relays = expect.relays();
    expected = expect.domains();
    // this worker's domains start here, through sharding: their entities come to life on this worker
    DomainSequencer.Start start = new DomainSequencer.Start(getContext().getSelf());
    for (int d = shards.firstDomain(worker); d < shards.firstDomain(worker + 1); d++) {
      domains.tell(d, start);
    }
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

  private Behavior<EngineCoordinator.Command> onOutgoing(Outgoing out) {
    outgoing.computeIfAbsent(shards.workerOf(out.dest()), k -> new ArrayList<>()).add(out);
    return this;
  }

  private Behavior<EngineCoordinator.Command> onBatches(ClusterMessages.Batches in) {
    for (int i = 0; i < in.dests().length; i++) {
      domains.tell(in.dests()[i], in.batches().get(i));
    }
    return this;
  }

  private Behavior<EngineCoordinator.Command> flushIfDone() {
    if (expected >= 0 && reports.size() == expected) {
      // a domain hands over its batches before its report, so all of this window's are here
      for (java.util.Map.Entry<Integer, List<Outgoing>> e : outgoing.entrySet()) {
        List<Outgoing> outs = e.getValue();
        int[] dests = new int[outs.size()];
        List<DomainSequencer.CrossBatch> batches = new ArrayList<>(outs.size());
        for (int i = 0; i < dests.length; i++) {
          dests[i] = outs.get(i).dest();
          batches.add(outs.get(i).batch());
        }
        relays.get(e.getKey()).tell(new ClusterMessages.Batches(dests, batches));
      }
      int sent = outgoing.size();
      outgoing.clear();
      coordinator.tell(new EngineCoordinator.WindowReports(reports, sent));
      reports = new ArrayList<>();
      expected = -1;
    }
    return this;
  }

  /** A model failure goes on at once (the coordinator is known: domains start only after Expect). */
  private Behavior<EngineCoordinator.Command> onFailure(EngineCoordinator.DomainFailed failed) {
    coordinator.tell(failed);
    return this;
  }

}
