package io.mcksim.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A latency log keeps every sample in order, small ones compactly, and a large one as it is. */
class LatencyLogTest {

  @Test
  void keepsSamplesInOrderAcrossALatencyBeyondTheCompactRange() {
    LatencyLog log = new LatencyLog();
    assertThat(log.samples()).isEmpty();
    long big = 3_000_000_000L; // beyond an int
    long[] in = {5, 7, 1, Integer.MAX_VALUE, big, 2, Long.MAX_VALUE / 4, 0, 9};
    for (long ns : in) {
      log.add(ns);
    }
    assertThat(log.samples()).containsExactly(in);
    assertThat(log.count()).isEqualTo(in.length);
    assertThat(log.min()).isZero();
    assertThat(log.max()).isEqualTo(Long.MAX_VALUE / 4);
    LatencyLog small = new LatencyLog();
    for (int i = 0; i < 100; i++) {
      small.add(i * 1_000L);
    }
    assertThat(small.samples()).hasSize(100).startsWith(0, 1_000, 2_000).endsWith(99_000);
    assertThat(small.sum()).isEqualTo(4_950_000L);
  }

  @Test
  void aFedLogHandsOnEverySampleAsItComesAndKeepsOnlyTheFirst() {
    List<Long> seen = new java.util.ArrayList<>();
    LatencyLog log = new LatencyLog().feeding(seen::add, 3);
    for (long ns = 1; ns <= 10; ns++) {
      log.add(ns);
    }
    assertThat(seen).hasSize(10).startsWith(1L).endsWith(10L);
    assertThat(log.samples()).containsExactly(1, 2, 3);
    assertThat(log.count()).isEqualTo(10);
    assertThat(log.sum()).isEqualTo(55);
    assertThat(log.max()).isEqualTo(10);
  }
}
