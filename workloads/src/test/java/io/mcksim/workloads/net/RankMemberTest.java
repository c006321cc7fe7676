package io.mcksim.workloads.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcksim.actors.engine.SimContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RankMember} on a CPU that leads no rank: each arriving thread tells its rank's first CPU, and a
 * release hands back the oldest waiting thread of the released rank, whatever else waits there.
 */
class RankMemberTest {

  record Waiter(int rank, String name) {}

  private static final RankMember.Seat<Waiter> SEAT = new RankMember.Seat<>() {
    @Override
    public int rank(Waiter t) {
      return t.rank();
    }

    @Override
    public boolean first(Waiter t) {
      return false;
    }
  };

  /** A context at time 0 that records what is sent: target, delay, event word. */
  private static final class Recorder implements SimContext {
    final List<long[]> sent = new ArrayList<>();

    @Override
    public long now() {
      return 0;
    }

    @Override
    public int self() {
      return 7;
    }

    @Override
    public void send(int target, long delay, long data, Object payload) {
      sent.add(new long[] {target, delay, data});
    }
  }

  private static RankMember<Waiter> member() {
    LogGP net = new LogGP(1_000, 200, 100, 0.08);
    RankSync.Shape shape = new RankSync.Shape(Collective.ALLREDUCE_RECURSIVE_DOUBLING, 2, 1, 2, net, net, 8);
    RankMember.Ranks ranks = new RankMember.Ranks(shape, 10, rank -> 100 + rank, (rank, thread) -> 7);
    return new RankMember<>(ranks, SEAT, (start, work) -> start + work, -1);
  }

  @Test
  void aReleaseTakesTheOldestWaitingThreadOfItsRank() {
    RankMember<Waiter> member = member();
    Recorder ctx = new Recorder();
    Waiter a = new Waiter(0, "a");
    Waiter b = new Waiter(1, "b");
    Waiter c = new Waiter(0, "c");
    member.arrive(ctx, a);
    member.arrive(ctx, b);
    member.arrive(ctx, c);

    assertThat(member.waiting()).isEqualTo(3);
    assertThat(ctx.sent).extracting(s -> s[0]).containsExactly(100L, 101L, 100L);
    assertThat(ctx.sent).extracting(s -> RankSync.kind(s[2])).containsOnly(RankSync.ARRIVE);
    assertThat(ctx.sent).extracting(s -> s[1]).containsOnly(10L);

    assertThat(member.onEvent(ctx, RankSync.word(RankSync.RELEASE, 0, 0))).isSameAs(a);
    assertThat(member.onEvent(ctx, RankSync.word(RankSync.RELEASE, 0, 0))).isSameAs(c);
    assertThat(member.waiting()).isEqualTo(1);
    Waiter d = new Waiter(0, "d");
    member.arrive(ctx, d);
    assertThat(member.onEvent(ctx, RankSync.word(RankSync.RELEASE, 0, 1))).isSameAs(b);
    assertThat(member.onEvent(ctx, RankSync.word(RankSync.RELEASE, 0, 0))).isSameAs(d);
    assertThat(member.waiting()).isZero();
  }

  @Test
  void aReleaseWithNoThreadOfItsRankWaitingIsAnError() {
    RankMember<Waiter> member = member();
    Recorder ctx = new Recorder();
    member.arrive(ctx, new Waiter(1, "b"));

    assertThatThrownBy(() -> member.onEvent(ctx, RankSync.word(RankSync.RELEASE, 0, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rank 0");
  }
}
