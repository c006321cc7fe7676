package io.mcksim.actors.engine;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Domains as entities of Pekko Cluster Sharding: the entity id is the domain number, and worker
 * {@code k} of {@code n} holds shard {@code k}, the contiguous block of domains
 * {@code [k*D/n, (k+1)*D/n)} (neighbouring nodes, which talk most, share a JVM). Shards are placed by
 * that rule alone and never rebalanced, so no domain moves during a run.
 */
final class DomainShards {

  /** Only JVMs with this cluster role host domains. */
  static final String WORKER_ROLE = "worker";

  static final EntityTypeKey<DomainSequencer.Command> TYPE_KEY =
      EntityTypeKey.create(DomainSequencer.Command.class, "mcksim-domain");

  private final int domains;
  private final int workers;

  DomainShards(int domains, int workers) {
    if (workers < 1 || workers > domains) {
      throw new IllegalArgumentException("a run over " + domains + " domain" + (domains == 1 ? "" : "s")
          + " can use 1 to " + domains + " workers, not " + workers);
    }
    this.domains = domains;
    this.workers = workers;
  }

  /** The worker (0-based) whose shard holds {@code domain}. */
  int workerOf(int domain) {
    return (int) (((long) domain * workers + workers - 1) / domains);
  }

  /** First domain of worker {@code k}'s block ({@code k = workers} gives the end). */
  int firstDomain(int k) {
    return (int) ((long) k * domains / workers);
  }

  /** Envelopes carry the domain number as entity id; the shard is the worker index. */
  ShardingMessageExtractor<ShardingEnvelope<DomainSequencer.Command>, DomainSequencer.Command> extractor() {
    return new ShardingMessageExtractor<>() {
      @Override
      public String entityId(ShardingEnvelope<DomainSequencer.Command> envelope) {
        return envelope.entityId();
      }

      @Override
      public String shardId(String entityId) {
        return Integer.toString(workerOf(Integer.parseInt(entityId)));
      }

      @Override
      public DomainSequencer.Command unwrapMessage(ShardingEnvelope<DomainSequencer.Command> envelope) {
        return envelope.message();
      }
    };
  }

  /**
   * How a domain (or the coordinator) reaches every domain: one entity reference each, made on first
   * use (after sharding has started), then kept. Two domains may make the same reference at once;
   * either copy serves, and an entity reference's fields are final, so it is safely shared.
   */
  DomainSequencer.Peers peers(ClusterSharding sharding) {
    @SuppressWarnings("unchecked")
    EntityRef<DomainSequencer.Command>[] refs = new EntityRef[domains];
    return (domain, message) -> {
      EntityRef<DomainSequencer.Command> ref = refs[domain];
      if (ref == null) {
        ref = sharding.entityRefFor(TYPE_KEY, Integer.toString(domain));
        refs[domain] = ref;
      }
      ref.tell(message);
    };
  }

  /**
   * Places shard {@code k} on the region at {@code addresses.get(k)}, and never moves a shard. A region
   * that has not registered yet is not guessed at: the allocation fails and the shard's region asks
   * again (the coordinating JVM starts the run only once every worker's region is registered).
   */
  static final class FixedAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {
    private final List<Address> addresses;
    private final Address self;

    FixedAllocation(List<Address> addresses, Address self) {
      this.addresses = List.copyOf(addresses);
      this.self = self;
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
        Map<ActorRef, IndexedSeq<String>> current) {
      Address wanted = addresses.get(Integer.parseInt(shardId));
      for (ActorRef region : current.keySet()) {
        Address at = region.path().address();
        if ((at.hasLocalScope() ? self : at).equals(wanted)) {
          return Futures.successful(region);
        }
      }
      return Futures.failed(new IllegalStateException("shard " + shardId + " belongs to the worker at "
          + wanted + ", whose region has not registered yet"));
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current,
        Set<String> inProgress) {
      return Futures.successful(Collections.emptySet());
    }
  }
}
