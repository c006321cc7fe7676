package io.mcksim.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ProgramCursor}: repeats unrolled in place, nested ones too, and skipping top-level steps. */
class ProgramCursorTest {

  private static List<Long> computes(ProgramCursor cursor) {
    List<Long> out = new ArrayList<>();
    for (Op op = cursor.next(); op != null; op = cursor.next()) {
      out.add(((Op.Compute) op).ns());
    }
    return out;
  }

  @Test
  void unrollsNestedRepeatsInOrderAndThenRunsOut() {
    Program p = Program.named("nested")
        .compute(1)
        .repeat(2, outer -> outer.compute(2).repeat(3, inner -> inner.compute(3)).compute(4))
        .compute(5)
        .build();
    ProgramCursor cursor = new ProgramCursor(p);

    assertThat(computes(cursor)).containsExactly(1L, 2L, 3L, 3L, 3L, 4L, 2L, 3L, 3L, 3L, 4L, 5L);
    assertThat(cursor.next()).isNull();
  }

  @Test
  void skipsTopLevelStepsCountingARepeatAsOne() {
    Program p = Program.named("checkpointed")
        .compute(1)
        .repeat(2, body -> body.compute(2))
        .compute(3)
        .build();

    ProgramCursor fromTheRepeat = new ProgramCursor(p);
    fromTheRepeat.skip(1);
    assertThat(computes(fromTheRepeat)).containsExactly(2L, 2L, 3L);

    ProgramCursor pastTheEnd = new ProgramCursor(p);
    pastTheEnd.skip(10);
    assertThat(pastTheEnd.next()).isNull();
  }
}
