package io.mcksim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void tellsWhetherAComputationComesNextAndTheWorkOfTheComputationsAhead() {
    Program fwq = Program.named("fwq").compute(7).repeat(1_000, b -> b.compute(100)).syscall("getpid")
        .compute(3).build();
    ProgramCursor cursor = new ProgramCursor(fwq);
    assertThat(cursor.computesNext()).isTrue();
    // 7, then the repeat: a repeat not under way ends the count (a lower bound is enough)
    assertThat(cursor.computeAhead()).isEqualTo(7);
    cursor.next();
    assertThat(cursor.computesNext()).as("a repeat comes next").isFalse();
    cursor.next(); // the repeat's first computation
    assertThat(cursor.computesNext()).isTrue();
    assertThat(cursor.computeAhead()).isEqualTo(999 * 100);
    for (int i = 0; i < 998; i++) {
      cursor.next();
    }
    assertThat(cursor.computeAhead()).isEqualTo(100);
    cursor.next();
    assertThat(cursor.computesNext()).as("the call after the loop").isFalse();
    assertThat(cursor.computeAhead()).isZero();
    assertThat(cursor.next()).isInstanceOf(Op.Syscall.class);
    assertThat(cursor.computesNext()).isTrue();
    assertThat(cursor.computeAhead()).isEqualTo(3);
    cursor.next();
    assertThat(cursor.computesNext()).isFalse();
    assertThat(cursor.computeAhead()).isZero();
  }

  @Test
  void skippingRepeatsOfOneComputationLeavesTheCursorAsThatManyNextCallsWould() {
    Program p = Program.named("nested").repeat(3, outer -> outer.repeat(5, b -> b.compute(100)).compute(7))
        .syscall("getpid").build();
    for (int skip = 0; skip <= 4; skip++) {
      ProgramCursor byOne = new ProgramCursor(p);
      ProgramCursor atOnce = new ProgramCursor(p);
      assertThat(atOnce.computeRepeats()).as("a repeat not under way").isZero();
      byOne.next();
      atOnce.next(); // the inner repeat's first computation: 4 more like it
      assertThat(atOnce.computeRepeats()).isEqualTo(4);
      assertThat(atOnce.repeatedCompute().ns()).isEqualTo(100);
      for (int i = 0; i < skip; i++) {
        byOne.next();
      }
      atOnce.skipRepeats(skip);
      assertThat(atOnce.computeRepeats()).isEqualTo(4 - skip);
      assertThat(atOnce.computesNext()).isEqualTo(byOne.computesNext());
      assertThat(atOnce.computeAhead()).isEqualTo(byOne.computeAhead());
      List<Object> rest = new ArrayList<>();
      List<Object> restByOne = new ArrayList<>();
      for (Op op = atOnce.next(); op != null; op = atOnce.next()) {
        rest.add(op);
      }
      for (Op op = byOne.next(); op != null; op = byOne.next()) {
        restByOne.add(op);
      }
      assertThat(rest).as("after skipping %d", skip).isEqualTo(restByOne).hasSize(4 - skip + 1 + 2 * 6 + 1);
    }
    ProgramCursor cursor = new ProgramCursor(p);
    cursor.next();
    assertThatThrownBy(() -> cursor.skipRepeats(5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot skip 5 of 4");
  }

  @Test
  void theWorkAheadOfALoopWhoseBodyDoesMoreStopsAtItsFirstOtherOp() {
    Program p = Program.named("mixed").repeat(10, b -> b.compute(5).compute(6).syscall("getpid")).build();
    ProgramCursor cursor = new ProgramCursor(p);
    cursor.next();
    assertThat(cursor.computeAhead()).isEqualTo(6);
    cursor.next();
    cursor.next();
    // the next pass: its computations up to the call
    assertThat(cursor.computeAhead()).isEqualTo(11);
  }
}
