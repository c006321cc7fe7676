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
import io.mcksim.actors.serialization.SimMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.Patterns;

/**
 * The guardian of the coordinating JVM of a run spread over JVMs. It forms the cluster, waits for its
 * workers, gives each its part (the scenario and its block of domains), waits until every worker's
 * shard region is registered, and only then starts the {@link EngineCoordinator}, whose domains are
 * the workers' sharded entities. From the first hello on it watches every worker: one that dies,
 * leaves or becomes unreachable ends the run with a {@link ClusterFailure} that names it.
 */
final class ClusterGuardian extends AbstractBehavior<ToCoordinator> {

  /**
   * Where the workers are, how many, and what they run, and whether they need the run's TLS keys to
   * join; {@code stopped} completes once every worker still there has confirmed it exits.
   */
  record Settings(int workers, String scenario, Duration joinTimeout, boolean tls,
      CompletableFuture<Void> stopped) {}

  /** A worker process this JVM launched has exited. */
  record WorkerExited(long pid, int status) implements ToCoordinator {}

  /** The run is over (or abandoned): tell every worker to exit. */
  enum StopWorkers implements ToCoordinator { INSTANCE }

  private record MemberChanged(ClusterEvent.ClusterDomainEvent event) implements ToCoordinator {}

  private enum JoinTimeout implements ToCoordinator { INSTANCE }

  private enum RegionsTick implements ToCoordinator { INSTANCE }

  private record Regions(Set<Address> registered) implements ToCoordinator {}

  private enum EngineStopped implements ToCoordinator { INSTANCE }

  /** A worker that has said hello. */
  private record Worker(Address address, ActorRef<ToWorker> agent, String host, long pid) {}

  private final RunPlan plan;
  private final RunSpec spec;
  private final Settings settings;
  private final CompletableFuture<RunResult> result;
  private final TimerScheduler<ToCoordinator> timers;
  private final DomainShards shards;
  /** This JVM's shard region, a proxy: it asks the shard coordinator which regions registered. */
  private final org.apache.pekko.actor.ActorRef region;
  private final TreeMap<String, Worker> joined = new TreeMap<>();
  private List<Worker> workers = List.of();
  private int ready;
  /** Each worker's window relay, by worker index. */
  private final List<ActorRef<EngineCoordinator.Command>> relays = new ArrayList<>();
  private ActorRef<EngineCoordinator.Command> engine;
  private boolean over;
  /** Addresses of workers lost (dead, gone or unreachable). */
  private final Set<String> lostWorkers = new java.util.HashSet<>();
  /** Workers told to exit that have not confirmed yet, or -1 before the run's end. */
  private int stopping = -1;

  static Behavior<ToCoordinator> create(RunPlan plan, RunSpec spec, Settings settings,
      CompletableFuture<RunResult> result) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ClusterGuardian(ctx, timers, plan, spec, settings, result)));
  }

  private ClusterGuardian(ActorContext<ToCoordinator> context, TimerScheduler<ToCoordinator> timers,
      RunPlan plan, RunSpec spec, Settings settings, CompletableFuture<RunResult> result) {
    super(context);
    this.timers = timers;
    this.plan = plan;
    this.spec = spec;
    this.settings = settings;
    this.result = result;
    this.shards = new DomainShards(plan.domainCount(), settings.workers());
    Cluster cluster = Cluster.get(context.getSystem());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.ClusterDomainEvent.class, MemberChanged::new),
        ClusterEvent.ClusterDomainEvent.class));
    // this JVM has no worker role: its region is a proxy that only routes to the workers' shards
    this.region = Adapter.toClassic(ClusterSharding.get(context.getSystem()).init(Entity.of(
            DomainShards.TYPE_KEY, ctx -> Behaviors.<DomainSequencer.Command>empty())
        .withRole(DomainShards.WORKER_ROLE)
        .withMessageExtractor(shards.extractor())));
    timers.startSingleTimer(JoinTimeout.INSTANCE, settings.joinTimeout());
  }

  @Override
  public Receive<ToCoordinator> createReceive() {
    return newReceiveBuilder()
        .onMessage(WorkerHello.class, this::onHello)
        .onMessage(Ready.class, this::onReady)
        .onMessage(SetupFailed.class, this::onSetupFailed)
        .onMessageEquals(RegionsTick.INSTANCE, this::onRegionsTick)
        .onMessage(Regions.class, this::onRegions)
        .onMessage(MemberChanged.class, this::onMemberChanged)
        .onMessage(WorkerExited.class, this::onWorkerExited)
        .onMessageEquals(JoinTimeout.INSTANCE, this::onJoinTimeout)
        .onMessageEquals(EngineStopped.INSTANCE, this::onEngineStopped)
        .onMessageEquals(StopWorkers.INSTANCE, this::onStopWorkers)
        .onMessage(ClusterMessages.Stopping.class, this::onStopping)
        .build();
  }

  private Behavior<ToCoordinator> onHello(WorkerHello hello) {
    Address address = hello.agent().path().address();
    if (joined.containsKey(address.toString()) || over) {
      return this;
    }
    if (joined.size() == settings.workers()) {
      hello.agent().tell(Shutdown.INSTANCE); // a worker too many: not part of this run
      return this;
    }
    joined.put(address.toString(), new Worker(address, hello.agent(), hello.host(), hello.pid()));
    if (joined.size() < settings.workers()) {
      return this;
    }
    timers.cancel(JoinTimeout.INSTANCE);
    // workers are numbered by address, so a run's placement does not depend on who joined first
    workers = List.copyOf(joined.values());
    List<String> addresses = workers.stream().map(w -> w.address().toString()).toList();
    for (int k = 0; k < workers.size(); k++) {
      workers.get(k).agent().tell(new Setup(k, addresses, settings.scenario(), plan.endTime,
          plan.model.name(), plan.model.seed(), plan.cells.length, plan.domainCount()));
    }
    return this;
  }

  private Behavior<ToCoordinator> onReady(Ready r) {
    while (relays.size() <= r.index()) {
      relays.add(null);
    }
    relays.set(r.index(), r.relay());
    if (++ready == workers.size()) {
      timers.startTimerWithFixedDelay(RegionsTick.INSTANCE, Duration.ZERO, Duration.ofMillis(100));
    }
    return this;
  }

  private Behavior<ToCoordinator> onSetupFailed(SetupFailed failed) {
    return fail(describe(failed.index()) + " could not set up its part of the run: " + failed.error());
  }

  /** Asks the shard coordinator which regions have registered (wall clock: startup only). */
  private Behavior<ToCoordinator> onRegionsTick() {
    getContext().pipeToSelf(
        Patterns.ask(region, ShardRegion.getCurrentRegionsInstance(), Duration.ofSeconds(1)),
        (reply, error) -> reply instanceof ShardRegion.CurrentRegions cr ? new Regions(cr.getRegions())
            : new Regions(Set.of()));
    return this;
  }

  private Behavior<ToCoordinator> onRegions(Regions regions) {
    if (engine != null || over) {
      return this;
    }
    for (Worker w : workers) {
      if (!regions.registered().contains(w.address())) {
        return this;
      }
    }
    timers.cancel(RegionsTick.INSTANCE);
    engine = getContext().spawn(EngineCoordinator.create(plan, spec, result, new Deployment()), "engine");
    getContext().watchWith(engine, EngineStopped.INSTANCE);
    return this;
  }

  private Behavior<ToCoordinator> onMemberChanged(MemberChanged changed) {
    if (changed.event() instanceof ClusterEvent.UnreachableMember u) {
      return lost(u.member().address(), "became unreachable (no heartbeat within the failure detector's pause)");
    }
    if (changed.event() instanceof ClusterEvent.MemberRemoved r) {
      return lost(r.member().address(), "left the cluster");
    }
    return this;
  }

  private Behavior<ToCoordinator> lost(Address address, String how) {
    Worker w = joined.get(address.toString());
    if (w == null) {
      return this;
    }
    gone(w);
    return workerLost(describe(w) + " " + how);
  }

  /** A worker that will never confirm it exits: the run's end need not wait for it. */
  private void gone(Worker w) {
    if (lostWorkers.add(w.address().toString()) && stopping > 0 && --stopping == 0) {
      settings.stopped().complete(null);
    }
  }

  private Behavior<ToCoordinator> onWorkerExited(WorkerExited exited) {
    for (Worker w : joined.values()) {
      if (w.pid() == exited.pid()) {
        gone(w);
        return workerLost(describe(w) + " died: its process exited with status " + exited.status());
      }
    }
    return workerLost("a worker process (pid " + exited.pid() + ") exited with status " + exited.status()
        + " before it joined the cluster");
  }

  private Behavior<ToCoordinator> workerLost(String what) {
    if (over) {
      return this;
    }
    if (engine != null) {
      engine.tell(new EngineCoordinator.WorkerLost(what));
      over = true;
      return this;
    }
    return fail(what);
  }

  private Behavior<ToCoordinator> onJoinTimeout() {
    return fail("only " + joined.size() + " of " + settings.workers() + " workers joined within "
        + settings.joinTimeout().toSeconds() + " s; start the missing ones with: mcksim worker --join "
        + hostPort(Cluster.get(getContext().getSystem()).selfMember().address())
        + (settings.tls() ? " and this run's TLS keys (--key-store, --trust-store; a worker without them cannot "
            + "join)" : ""));
  }

  private Behavior<ToCoordinator> fail(String what) {
    if (!over) {
      over = true;
      result.completeExceptionally(new ClusterFailure(what + "; nothing of the run was written; "
          + plan.replayHint()));
    }
    return this;
  }

  private Behavior<ToCoordinator> onEngineStopped() {
    over = true;
    return this;
  }

  private Behavior<ToCoordinator> onStopWorkers() {
    over = true;
    stopping = 0;
    for (Worker w : joined.values()) {
      if (!lostWorkers.contains(w.address().toString())) {
        w.agent().tell(Shutdown.INSTANCE);
        stopping++;
      }
    }
    if (stopping == 0) {
      settings.stopped().complete(null);
    }
    return this;
  }

  private Behavior<ToCoordinator> onStopping(ClusterMessages.Stopping confirmed) {
    if (stopping > 0 && --stopping == 0) {
      settings.stopped().complete(null);
    }
    return this;
  }

  private String describe(int index) {
    return index >= 0 && index < workers.size() ? describe(workers.get(index)) : "worker " + index;
  }

  private String describe(Worker w) {
    int index = workers.indexOf(w);
    return "worker " + (index >= 0 ? index + " of " + workers.size() + " " : "") + "(" + w.address() + ", pid "
        + w.pid() + (index >= 0 ? ", domains " + shards.firstDomain(index) + "-" + (shards.firstDomain(index + 1) - 1)
        : "") + ")";
  }

  static String hostPort(Address address) {
    return address.host().getOrElse(() -> "?") + ":" + address.port().getOrElse(() -> 0);
  }

  /**
   * The domains are the workers' sharded entities, which each worker's relay starts. A window's orders
   * go to each worker's relay as one message, and its reports come back the same way; the totals come
   * from each worker's agent.
   */
  private final class Deployment implements EngineCoordinator.Deployment {

    /** This window's orders, by worker: its domains ordered to run, with their inbound totals. */
    private int[][] orderedDomains;
    private long[][] orderedInbound;
    private int[] ordered;
    /** The last order given: every order of a window has the same window, start and end. */
    private DomainSequencer.RunWindow last;

    @Override
    public void start(ActorContext<EngineCoordinator.Command> context, RunPlan plan) {
      int n = workers.size();
      orderedDomains = new int[n][];
      orderedInbound = new long[n][];
      ordered = new int[n];
      // each worker's relay starts its own domains: one message per worker, not one per domain
      for (int k = 0; k < n; k++) {
        int block = shards.firstDomain(k + 1) - shards.firstDomain(k);
        orderedDomains[k] = new int[block];
        orderedInbound[k] = new long[block];
        relays.get(k).tell(new ClusterMessages.Expect(context.getSelf(), block, List.copyOf(relays)));
      }
    }

    @Override
    public void order(int domain, DomainSequencer.RunWindow run) {
      int k = shards.workerOf(domain);
      orderedDomains[k][ordered[k]] = domain;
      orderedInbound[k][ordered[k]++] = run.inboundTotal();
      last = run;
    }

    @Override
    public int flush() {
      int sent = 0;
      for (int k = 0; k < ordered.length; k++) {
        int n = ordered[k];
        if (n > 0) {
          relays.get(k).tell(new ClusterMessages.WindowOrders(last.window(), last.start(), last.end(),
              Arrays.copyOf(orderedDomains[k], n), Arrays.copyOf(orderedInbound[k], n)));
          ordered[k] = 0;
          sent++;
        }
      }
      return sent;
    }

    @Override
    public void collect(ActorContext<EngineCoordinator.Command> context, RunPlan plan) {
      ActorRef<EngineCoordinator.Command> coordinator = context.getSelf();
      List<ActorRef<ToWorker>> agents = workers.stream().map(Worker::agent).toList();
      context.spawn(Behaviors.<SimMessage>setup(ctx -> {
        for (ActorRef<ToWorker> agent : agents) {
          agent.tell(new Collect(ctx.getSelf().narrow(), ctx.getSelf().narrow()));
        }
        return collecting(new EntityTotals(plan.cells.length), agents.size(), coordinator);
      }), "collect-totals");
    }

    private Behavior<SimMessage> collecting(EntityTotals totals, int pending,
        ActorRef<EngineCoordinator.Command> coordinator) {
      return Behaviors.receive(SimMessage.class)
          .onMessage(Totals.class, t -> {
            totals.add(t);
            return Behaviors.same();
          })
          .onMessage(TotalsDone.class, done -> {
            if (done.modelPart() != null && plan.model instanceof PartialResults p) {
              p.addPart(done.modelPart());
            }
            if (pending > 1) {
              return collecting(totals, pending - 1, coordinator);
            }
            coordinator.tell(new EngineCoordinator.Collected(totals));
            return Behaviors.stopped();
          })
          .build();
    }

    @Override
    public String engine() {
      return "cluster";
    }
  }
}
