package io.mcksim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Ids, domains and lookahead follow from a node's declared groups and links. */
class WiringTest {

  @Test
  void idsRunNodeByNodeGroupByGroup() {
    Wiring.Builder b = Wiring.builder();
    Wiring.Group a = b.group("a", 2);
    Wiring.Group none = b.group("none", 0);
    Wiring.Group c = b.group("c", 3);
    Wiring w = b.build();
    assertThat(w.perNode()).isEqualTo(5);
    assertThat(w.id(1, c, 0)).isEqualTo(7);
    assertThat(w.nodeOf(7)).isEqualTo(1);
    assertThat(w.groupOf(7)).isEqualTo(c);
    assertThat(w.indexOf(7)).isZero();
    assertThat(w.groupOf(1)).isEqualTo(a);
    assertThat(none.count()).isZero();
  }

  /** A node without McKernel still declares McKernel's links; they join nothing and bound nothing. */
  @Test
  void aLinkToAGroupTheNodeHasNoneOfBoundsNoLookahead() {
    Wiring.Builder b = Wiring.builder();
    Wiring.Group mck = b.group("mckernel-cpu", 0);
    Wiring.Group linux = b.group("native-cpu", 4);
    b.both(mck, mck, 1);
    b.both(mck, linux, 2);
    b.between(mck, mck, 3);
    b.both(linux, linux, 200);
    b.between(linux, linux, 1_200);
    Wiring w = b.build();
    assertThat(w.localLookahead()).isEqualTo(200);
    assertThat(w.lookahead()).isEqualTo(1_200);
    assertThat(w.latency(mck, linux)).as("still declared").isEqualTo(2);
  }
}
