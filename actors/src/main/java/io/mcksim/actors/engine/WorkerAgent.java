package io.mcksim.actors.engine;

import io.mcksim.actors.engine.ClusterMessages.Collect;
import io.mcksim.actors.engine.ClusterMessages.Ready;
import io.mcksim.actors.engine.ClusterMessages.Setup;
import io.mcksim.actors.engine.ClusterMessages.SetupFailed;
import io.mcksim.actors.engine.ClusterMessages.Shutdown;
import io.mcksim.actors.engine.ClusterMessages.ToCoordinator;
import io.mcksim.actors.engine.ClusterMessages.ToWorker;
import io.mcksim.actors.engine.ClusterMessages.Totals;
import io.mcksim.actors.engine.ClusterMessages.TotalsDone;
import io.mcksim.actors.engine.ClusterMessages.WorkerHello;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The guardian of a worker JVM: it joins the coordinating JVM's cluster, says hello until it is given
 * its part of the run, builds the model from the scenario it is sent, hosts its block of domains as
 * sharded entities, hands back every entity's totals at the end, and exits when told to, or as soon as
 * the coordinating JVM is lost (a worker never outlives its run). A worker that no coordinating JVM
 * has answered within the join timeout (none there, or one whose TLS keys it lacks) exits too.
 */
final class WorkerAgent extends AbstractBehavior<ToWorker> {

  /** Entity totals per {@link Totals} message: well under the remoting frame size. */
  static final int TOTALS_CHUNK = 32_768;

  private enum HelloTick implements ToWorker { INSTANCE }

  private enum JoinTimeout implements ToWorker { INSTANCE }

  /** This worker has joined: it sees the coordinating JVM as a member of its cluster. */
  private enum Joined implements ToWorker { INSTANCE }

  /** A cluster event that is not about the coordinating JVM. */
  private enum Ignored implements ToWorker { INSTANCE }

  private record CoordinatorLost(String how) implements ToWorker {}

  private final Address coordinatorAddress;
  private final ActorRef<ToCoordinator> coordinator;
  private final ClusterEngine.ModelFactory factory;
  private final CompletableFuture<Integer> exit;
  private final TimerScheduler<ToWorker> timers;
  private final Duration joinTimeout;
  private final boolean tls;
  private int index = -1;
  private RunPlan plan;

  static Behavior<ToWorker> create(Address coordinator, ClusterEngine.ModelFactory factory, Duration joinTimeout,
      boolean tls, CompletableFuture<Integer> exit) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new WorkerAgent(ctx, timers, coordinator, factory, joinTimeout, tls, exit)));
  }

  private WorkerAgent(ActorContext<ToWorker> context, TimerScheduler<ToWorker> timers, Address coordinator,
      ClusterEngine.ModelFactory factory, Duration joinTimeout, boolean tls, CompletableFuture<Integer> exit) {
    super(context);
    this.timers = timers;
    this.coordinatorAddress = coordinator;
    this.factory = factory;
    this.joinTimeout = joinTimeout;
    this.tls = tls;
    this.exit = exit;
    Cluster cluster = Cluster.get(context.getSystem());
    cluster.manager().tell(new JoinSeedNodes(List.of(coordinator)));
    ActorRef<ClusterEvent.ClusterDomainEvent> events = context.messageAdapter(
        ClusterEvent.ClusterDomainEvent.class, this::coordinatorEvent);
    cluster.subscriptions().tell(Subscribe.create(events, ClusterEvent.ClusterDomainEvent.class));
    this.coordinator = ActorRefResolver.get(context.getSystem()).resolveActorRef(coordinator + "/user");
    // liveness only: the hello is repeated until the coordinating JVM answers (it may still be starting)
    timers.startTimerWithFixedDelay(HelloTick.INSTANCE, Duration.ZERO, Duration.ofSeconds(1));
    timers.startSingleTimer(JoinTimeout.INSTANCE, joinTimeout);
  }

  private ToWorker coordinatorEvent(ClusterEvent.ClusterDomainEvent event) {
    if (event instanceof ClusterEvent.UnreachableMember u && u.member().address().equals(coordinatorAddress)) {
      return new CoordinatorLost("became unreachable");
    }
    if (event instanceof ClusterEvent.MemberRemoved r && r.member().address().equals(coordinatorAddress)) {
      return new CoordinatorLost("left the cluster");
    }
    if (event instanceof ClusterEvent.MemberEvent m && m.member().address().equals(coordinatorAddress)) {
      return Joined.INSTANCE;
    }
    return Ignored.INSTANCE;
  }

  @Override
  public Receive<ToWorker> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(HelloTick.INSTANCE, this::onHelloTick)
        .onMessageEquals(JoinTimeout.INSTANCE, this::onJoinTimeout)
        .onMessageEquals(Joined.INSTANCE, () -> {
          timers.cancel(JoinTimeout.INSTANCE); // from now on the coordinating JVM's own join timeout governs
          return this;
        })
        .onMessageEquals(Ignored.INSTANCE, () -> this)
        .onMessage(Setup.class, this::onSetup)
        .onMessage(Collect.class, this::onCollect)
        .onMessageEquals(Shutdown.INSTANCE, this::onShutdown)
        .onMessage(CoordinatorLost.class, this::onCoordinatorLost)
        .build();
  }

  private Behavior<ToWorker> onHelloTick() {
    coordinator.tell(new WorkerHello(getContext().getSelf(), selfAddress().host().getOrElse(() -> "?"),
        ProcessHandle.current().pid()));
    return this;
  }

  private Address selfAddress() {
    return Cluster.get(getContext().getSystem()).selfMember().address();
  }

  private Behavior<ToWorker> onJoinTimeout() {
    exit.completeExceptionally(new ClusterFailure("no coordinating JVM at " + coordinatorAddress + " answered within "
        + joinTimeout.toSeconds() + " s: is its run still waiting for workers, and does this worker have that "
        + "run's TLS keys? (" + (tls ? "it has keys, but maybe other ones" : "it has none") + "; see docs/cluster.md)"));
    return Behaviors.stopped();
  }

  private Behavior<ToWorker> onSetup(Setup setup) {
    timers.cancel(HelloTick.INSTANCE);
    if (index >= 0) {
      return this; // a repeated setup (the hello crossed it): already done
    }
    index = setup.index();
    try {
      SimModel model = factory.build(setup.scenario());
      String built = model.name() + ", seed " + model.seed() + ", " + model.entityCount() + " entities, "
          + model.domainCount() + " domains";
      String wanted = setup.model() + ", seed " + setup.seed() + ", " + setup.entities() + " entities, "
          + setup.domains() + " domains";
      if (!built.equals(wanted)) {
        throw new IllegalStateException("this worker built the model as " + built + ", the coordinating JVM as "
            + wanted + "; run the same mcksim build on every machine");
      }
      DomainShards shards = new DomainShards(setup.domains(), setup.addresses().size());
      int first = shards.firstDomain(index);
      int end = shards.firstDomain(index + 1);
      plan = new RunPlan(model, setup.endTimeNs(), d -> d >= first && d < end);
      Outboxes outboxes = new Outboxes(setup.domains());
      ClusterSharding sharding = ClusterSharding.get(getContext().getSystem());
      DomainSequencer.Peers local = new LocalDomains(setup.domains(), shards.peers(sharding));
      // the relay carries batches for other workers' domains, one message per worker and window
      ActorRef<EngineCoordinator.Command> relay =
          getContext().spawn(WindowRelay.create(local, shards, index), "window-relay");
      int self = index;
      DomainSequencer.Peers peers = new DomainSequencer.Peers() {
        @Override
        public void tell(int dest, DomainSequencer.Command message) {
          if (shards.workerOf(dest) == self) {
            local.tell(dest, message);
          } else {
            relay.tell(new WindowRelay.Outgoing(dest, (DomainSequencer.CrossBatch) message));
          }
        }

        @Override
        public void started(int domain, ActorRef<DomainSequencer.Command> ref) {
          local.started(domain, ref);
        }
      };
      List<Address> addresses = new ArrayList<>();
      for (String a : setup.addresses()) {
        addresses.add(AddressFromURIString.parse(a));
      }
      RunPlan hosted = plan;
      sharding.init(Entity.of(DomainShards.TYPE_KEY, ctx -> {
            int domain = Integer.parseInt(ctx.getEntityId());
            if (domain < first || domain >= end) {
              throw new IllegalStateException("domain " + domain + " was placed on worker " + index
                  + ", which hosts domains " + first + "-" + (end - 1));
            }
            return DomainSequencer.create(domain, hosted, outboxes, peers);
          })
          .withRole(DomainShards.WORKER_ROLE)
          .withMessageExtractor(shards.extractor())
          .withAllocationStrategy(new DomainShards.FixedAllocation(addresses, selfAddress())));
      coordinator.tell(new Ready(index, relay));
    } catch (RuntimeException | LinkageError e) {
      coordinator.tell(new SetupFailed(index, e.toString()));
    }
    return this;
  }

  /**
   * This worker's domains, told through sharding until each has started and then directly: shards
   * never move during a run, so an entity's actor stays where it started, and the region's and shard's
   * hops (each a single actor every message of every domain would pass) are saved.
   */
  private static final class LocalDomains implements DomainSequencer.Peers {
    private final AtomicReferenceArray<ActorRef<DomainSequencer.Command>> refs;
    private final DomainSequencer.Peers sharded;

    LocalDomains(int domains, DomainSequencer.Peers sharded) {
      this.refs = new AtomicReferenceArray<>(domains);
      this.sharded = sharded;
    }

    @Override
    public void tell(int domain, DomainSequencer.Command message) {
      ActorRef<DomainSequencer.Command> ref = refs.get(domain);
      if (ref != null) {
        ref.tell(message);
      } else {
        sharded.tell(domain, message);
      }
    }

    @Override
    public void started(int domain, ActorRef<DomainSequencer.Command> self) {
      refs.set(domain, self);
    }
  }

  private Behavior<ToWorker> onCollect(Collect collect) {
    List<Totals> chunks = EntityTotals.chunks(plan, TOTALS_CHUNK);
    chunks.forEach(collect.replyTo()::tell);
    collect.doneTo().tell(new TotalsDone(index, chunks.size(),
        plan.model instanceof PartialResults p ? p.localPart() : null));
    return this;
  }


  private Behavior<ToWorker> onShutdown() {
    coordinator.tell(new ClusterMessages.Stopping(index));
    exit.complete(0);
    return Behaviors.stopped();
  }

  private Behavior<ToWorker> onCoordinatorLost(CoordinatorLost lost) {
    getContext().getLog().error("the coordinating JVM at {} {}; this worker stops", coordinatorAddress,
        lost.how());
    exit.complete(3);
    return Behaviors.stopped();
  }
}
