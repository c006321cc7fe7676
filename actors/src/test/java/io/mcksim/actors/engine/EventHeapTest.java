package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The heap pops in the engine's total order, whatever the interleaving of pushes and pops. */
class EventHeapTest {

  private record Ev(long time, int target, int source, long seq, long data) {}

  private static final Comparator<Ev> ORDER = Comparator.comparingLong(Ev::time)
      .thenComparingInt(Ev::target).thenComparingInt(Ev::source).thenComparingLong(Ev::seq);

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 99, 123456789})
  void popsInTimeTargetSourceSeqOrderWithManyTies(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    EventHeap heap = new EventHeap(1);
    PriorityQueue<Ev> reference = new PriorityQueue<>(ORDER);
    long seq = 0;
    List<Ev> popped = new ArrayList<>();
    List<Ev> expected = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      if (reference.isEmpty() || random.nextInt(3) > 0) {
        // few distinct times and ids: ties on time, and on (time, target), are the common case
        Ev e = new Ev(random.nextInt(20), random.nextInt(4), random.nextInt(4), seq++, random.nextLong());
        heap.push(e.time(), e.target(), e.source(), e.seq(), e.data(), e);
        reference.add(e);
      } else {
        heap.pop();
        popped.add(new Ev(heap.topTime, heap.topTarget, heap.topSource, heap.topSeq, heap.topData));
        assertThat(heap.topPayload).as("seed %d: payload travels with its event", seed)
            .isEqualTo(reference.peek());
        expected.add(reference.poll());
      }
      assertThat(heap.size()).as("seed %d", seed).isEqualTo(reference.size());
    }
    while (!reference.isEmpty()) {
      heap.pop();
      popped.add(new Ev(heap.topTime, heap.topTarget, heap.topSource, heap.topSeq, heap.topData));
      expected.add(reference.poll());
    }
    assertThat(popped).as("seed %d", seed).isEqualTo(expected);
    assertThat(heap.isEmpty()).isTrue();
    assertThat(heap.minTime()).isEqualTo(Long.MAX_VALUE);
  }
}
