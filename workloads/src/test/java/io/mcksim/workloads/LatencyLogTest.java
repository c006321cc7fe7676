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

  @Test
  void aRunOfEqualSamplesLogsAsManyAddsWouldAndReachesTheFeedAsOneRun() {
    List<String> seen = new java.util.ArrayList<>();
    LatencyLog.Sink sink = new LatencyLog.Sink() {
      @Override
      public void accept(long sample) {
        seen.add(Long.toString(sample));
      }

      @Override
      public void accept(long sample, long times) {
        seen.add(sample + "x" + times);
      }
    };
    LatencyLog runs = new LatencyLog().feeding(sink, 5);
    LatencyLog adds = new LatencyLog().feeding(v -> { }, 5);
    runs.add(7);
    runs.add(9, 3);
    runs.add(4, 0);
    runs.add(2, 4);
    for (long v : new long[] {7, 9, 9, 9, 2, 2, 2, 2}) {
      adds.add(v);
    }
    assertThat(seen).containsExactly("7", "9x3", "2x4");
    assertThat(runs.samples()).containsExactly(adds.samples()).containsExactly(7, 9, 9, 9, 2);
    assertThat(List.of(runs.count(), runs.sum(), runs.min(), runs.max()))
        .isEqualTo(List.of(adds.count(), adds.sum(), adds.min(), adds.max()));
    List<Long> each = new java.util.ArrayList<>();
    new LatencyLog().feeding(each::add, 0).add(3, 2);
    assertThat(each).as("a sink without runs gets each sample").containsExactly(3L, 3L);
  }
}
