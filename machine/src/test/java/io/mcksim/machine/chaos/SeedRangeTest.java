package io.mcksim.machine.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Seed ranges are two numbers, walked without wrapping; a campaign streams them with few runs in flight. */
class SeedRangeTest {

  @Test
  void aRangeIsReadAsTwoNumbersAndCounted() {
    assertThat(SeedRange.parse("--seeds", " 1..100 ")).isEqualTo(new SeedRange(1, 100));
    assertThat(SeedRange.parse("--seeds", "7..7").count()).isEqualTo(1);
    assertThat(SeedRange.parse("--seeds", "0..999999").count()).isEqualTo(SeedRange.MAX_COUNT);
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(delimiter = '|', value = {
      "5..1                       | the range is reversed; write the smaller seed first, for example 1..5",
      "''                         | expected A..B, two whole numbers with 0 <= A <= B",
      "1..                        | expected A..B",
      "-3..4                      | expected A..B",
      "1,2,3                      | expected A..B",
      "1...5                      | expected A..B",
      "1..1e6                     | expected A..B",
      "1..99999999999999999999    | 99999999999999999999 is larger than the largest seed, 9223372036854775807",
      "1..100000000               | 100,000,000 seeds; a campaign runs at most 1,000,000",
      "0..9223372036854775807     | 9,223,372,036,854,775,807 seeds; a campaign runs at most 1,000,000"})
  void aBadRangeIsRefusedNamingTheOption(String text, String why) {
    assertThatThrownBy(() -> SeedRange.parse("--seeds", text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--seeds '" + text + "': ").hasMessageContaining(why);
  }

  @Test
  void aRangeEndingAtTheLargestLongEnds() {
    SeedRange r = new SeedRange(Long.MAX_VALUE - 2, Long.MAX_VALUE);
    assertThat(r.count()).isEqualTo(3);
    List<Long> seen = new ArrayList<>();
    ChaosCampaign.inOrder(r, 2, seed -> seed, seen::add);
    assertThat(seen).containsExactly(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE);
    assertThat(new SeedRange(0, Long.MAX_VALUE).count()).isEqualTo(Long.MAX_VALUE);
  }

  /**
   * 100,000,000 seeds are two longs, and a campaign over a large range keeps only a few runs per thread
   * in flight: the results come in seed order, and no more than {@code AHEAD * threads} runs were ever
   * submitted and not yet handed over.
   */
  @Test
  void aHugeRangeIsNeverMaterialisedAndACampaignStreamsIt() {
    SeedRange huge = new SeedRange(1, 100_000_000);
    assertThat(huge.count()).isEqualTo(100_000_000);
    assertThat(java.util.Arrays.stream(SeedRange.class.getRecordComponents()).map(c -> c.getType().getName()))
        .as("a range holds its two ends, nothing per seed").containsExactly("long", "long");

    int threads = 3;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    AtomicLong expected = new AtomicLong(1);
    ChaosCampaign.inOrder(new SeedRange(1, 200_000), threads, seed -> {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return seed;
    }, seed -> {
      inFlight.decrementAndGet();
      assertThat(seed).isEqualTo(expected.getAndIncrement());
    });
    assertThat(expected.get()).isEqualTo(200_001);
    assertThat(mostInFlight.get()).isLessThanOrEqualTo(ChaosCampaign.AHEAD * threads);
  }
}
