package io.mcksim.actors.engine;

import io.mcksim.actors.serialization.SimMessage;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the coordinating JVM and the worker JVMs of a run spread over JVMs say to each other, besides
 * the engine's own window protocol ({@link DomainSequencer} and {@link EngineCoordinator} messages,
 * which cross JVMs unchanged). Every message here is registered with a fixed Kryo id.
 */
public final class ClusterMessages {

  private ClusterMessages() {}

  /** To the coordinating JVM's guardian. */
  public interface ToCoordinator {}

  /** To a worker JVM's agent. */
  public interface ToWorker {}

  /** A worker joined: here is its agent, its host name and its process id. */
  public record WorkerHello(ActorRef<ToWorker> agent, String host, long pid)
      implements ToCoordinator, SimMessage {}

  /**
   * Build the model from {@code scenario} and host the domains of worker {@code index}; the model must
   * come out as {@code model}, {@code seed}, {@code entities} and {@code domains} (the same build on
   * both sides), and shards go to the workers at {@code addresses}, by index.
   */
  public record Setup(int index, List<String> addresses, String scenario, long endTimeNs, String model,
      long seed, int entities, int domains) implements ToWorker, SimMessage {}

  /** Worker {@code index} built its part of the model; its window protocol goes through {@code relay}. */
  public record Ready(int index, ActorRef<EngineCoordinator.Command> relay) implements ToCoordinator, SimMessage {}

  /**
   * To a worker's relay: start this worker's {@code domains} domains, report to {@code coordinator},
   * and send batches for other workers' domains to their {@code relays} (by worker index).
   */
  public record Expect(ActorRef<EngineCoordinator.Command> coordinator, int domains,
      List<ActorRef<EngineCoordinator.Command>> relays) implements EngineCoordinator.Command, SimMessage {}

  /** Another worker's cross-domain batches of one window for this worker's domains {@code dests}. */
  public record Batches(int[] dests, List<DomainSequencer.CrossBatch> batches)
      implements EngineCoordinator.Command, SimMessage {}

  /**
   * To a worker's relay: window {@code window}, [start, end), for each of {@code domains} with its
   * inbound batch total (see {@link DomainSequencer.RunWindow}).
   */
  public record WindowOrders(long window, long start, long end, int[] domains, long[] inboundTotals)
      implements EngineCoordinator.Command, SimMessage {}

  /** Worker {@code index} could not build its part; {@code error} says why. */
  public record SetupFailed(int index, String error) implements ToCoordinator, SimMessage {}

  /** Send every entity's totals, then {@link TotalsDone}, to {@code replyTo}. */
  public record Collect(ActorRef<Totals> replyTo, ActorRef<TotalsDone> doneTo) implements ToWorker, SimMessage {}

  /**
   * One chunk of a worker's entity totals; {@code faults} sums the chunk's failures, restarts, dead
   * events and late replies (see {@link RunResult.Faults}).
   */
  public record Totals(int[] entities, long[] hashes, long[] counts, long beyondEnd, long lastEventTime,
      long[] faults) implements SimMessage {}

  /** The last of a worker's totals: how many chunks came before, and its entities' model figures. */
  public record TotalsDone(int index, int chunks, SimMessage modelPart) implements SimMessage {}

  /** The run is over: say {@link Stopping} and exit. */
  public enum Shutdown implements ToWorker, SimMessage { INSTANCE }

  /** Worker {@code index} got {@link Shutdown} and exits now. */
  public record Stopping(int index) implements ToCoordinator, SimMessage {}
}
