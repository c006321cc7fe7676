package io.mcksim.workloads.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CollectiveTest {

  /** L = 1us, o = 200ns, g = 100ns, G = 0.08 ns/B: an 8-byte message's point-to-point time is 1401ns. */
  static final LogGP NET = new LogGP(1_000, 200, 100, 0.08);

  @ParameterizedTest
  @EnumSource(Collective.class)
  void everySendHasItsReceiveAndNoRankTalksToItself(Collective c) {
    for (int p = 1; p <= 70; p++) {
      List<Long> sends = new ArrayList<>();
      List<Long> recvs = new ArrayList<>();
      for (int r = 0; r < p; r++) {
        for (int s : c.steps(p, r)) {
          int peer = s >= 0 ? s : ~s;
          assertThat(peer).as("%s P=%d rank %d", c, p, r).isBetween(0, p - 1).isNotEqualTo(r);
          if (s >= 0) {
            sends.add((long) r << 32 | peer);
          } else {
            recvs.add((long) peer << 32 | r);
          }
        }
      }
      assertThat(recvs).as("%s P=%d", c, p).containsExactlyInAnyOrderElementsOf(sends);
    }
  }

  @Test
  void pointToPointIsTwoOverheadsPlusTheWire() {
    assertThat(NET.transitNs(8)).isEqualTo(1_000 + Math.round(7 * 0.08));
    assertThat(NET.pointToPointNs(8)).isEqualTo(1_401);
    assertThat(NET.pointToPointNs(0)).isEqualTo(1_400);
    assertThat(NET.pointToPointNs(1 << 20)).isEqualTo(1_400 + Math.round(((1 << 20) - 1) * 0.08));
    assertThat(new LogGP(10, 1, 50, 0).roundNs(8)).as("a long gap sets the pace").isEqualTo(50);
  }

  @Test
  void recursiveDoublingTakesLog2PRoundsOfThePointToPointTime() {
    for (int k = 0; k <= 10; k++) {
      int p = 1 << k;
      long once = new NoiselessBsp(Collective.ALLREDUCE_RECURSIVE_DOUBLING, p, 1, NET, NET, 8)
          .runtime(1, 0, 0);
      assertThat(once).as("P=%d", p).isEqualTo(k * 1_401L);
      assertThat(Collective.ALLREDUCE_RECURSIVE_DOUBLING.closedFormNs(p, NET, 8)).isEqualTo(k * 1_401L);
    }
  }

  @Test
  void recursiveDoublingOffAPowerOfTwoLiesBetweenItsRoundsAndTwoMore() {
    for (int p : new int[] {3, 5, 6, 7, 12, 100, 1000}) {
      int k = 31 - Integer.numberOfLeadingZeros(p);
      long once = new NoiselessBsp(Collective.ALLREDUCE_RECURSIVE_DOUBLING, p, 1, NET, NET, 8)
          .runtime(1, 0, 0);
      assertThat(once).as("P=%d", p).isGreaterThan(k * 1_401L).isLessThanOrEqualTo((k + 2) * 1_401L);
      assertThatThrownBy(() -> Collective.ALLREDUCE_RECURSIVE_DOUBLING.closedFormNs(p, NET, 8))
          .hasMessageContaining("not a power of two");
    }
    // P = 3, by hand: rank 0 takes rank 2's data (1401), exchanges with rank 1 (its message is already
    // there: 200 to send, 200 to receive), hands the result back to rank 2 (1401)
    assertThat(new NoiselessBsp(Collective.ALLREDUCE_RECURSIVE_DOUBLING, 3, 1, NET, NET, 8).runtime(1, 0, 0))
        .isEqualTo(1_401 + 400 + 1_401);
  }

  @Test
  void disseminationBarrierTakesCeilLog2PRoundsOfAnEmptyMessageForAnyP() {
    for (int p = 1; p <= 200; p++) {
      int rounds = p == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(p - 1);
      long once = new NoiselessBsp(Collective.BARRIER, p, 1, NET, NET, 8).runtime(1, 0, 0);
      assertThat(once).as("P=%d", p).isEqualTo(rounds * 1_400L)
          .isEqualTo(Collective.BARRIER.closedFormNs(p, NET, 8));
    }
  }

  @Test
  void treeAllreduceAndBroadcastOnPowersOfTwo() {
    for (int k = 0; k <= 10; k++) {
      int p = 1 << k;
      assertThat(new NoiselessBsp(Collective.ALLREDUCE_TREE, p, 1, NET, NET, 8).runtime(1, 0, 0))
          .as("tree P=%d", p).isEqualTo(2L * k * 1_401).isEqualTo(Collective.ALLREDUCE_TREE.closedFormNs(p, NET, 8));
      assertThat(new NoiselessBsp(Collective.BROADCAST, p, 1, NET, NET, 8).runtime(1, 0, 0))
          .as("broadcast P=%d", p).isEqualTo((long) k * 1_401).isEqualTo(Collective.BROADCAST.closedFormNs(p, NET, 8));
    }
    assertThatThrownBy(() -> Collective.ALLREDUCE_TREE.closedFormNs(6, NET, 8))
        .hasMessageContaining("not a power of two");
  }

  @Test
  void iterationsOfASymmetricCollectiveAddUp() {
    NoiselessBsp b = new NoiselessBsp(Collective.ALLREDUCE_RECURSIVE_DOUBLING, 64, 1, NET, NET, 8);
    assertThat(b.runtime(10, 1_000_000, 0)).isEqualTo(10 * (1_000_000 + 6 * 1_401L));
    NoiselessBsp t = new NoiselessBsp(Collective.ALLREDUCE_TREE, 64, 1, NET, NET, 8);
    assertThat(t.runtime(10, 1_000_000, 0)).isEqualTo(10 * (1_000_000 + 12 * 1_401L));
  }

  @Test
  void unknownNamesAreRefusedWithTheChoices() {
    assertThat(Collective.named("allreduce-tree")).isEqualTo(Collective.ALLREDUCE_TREE);
    assertThatThrownBy(() -> Collective.named("alltoall")).hasMessageContaining("barrier")
        .hasMessageContaining("allreduce-recursive-doubling");
  }
}
