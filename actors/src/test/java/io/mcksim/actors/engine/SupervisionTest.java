package io.mcksim.actors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Supervision, deathwatch and ask in virtual time: each scenario runs on the sequential engine and on
 * the actor engine with 1, 2 and 4 threads, which must agree on the digest, the fault counts and what
 * every entity saw; then what the entities saw is checked against the times the rules give.
 */
class SupervisionTest {

  static final String CRASH = "crash";

  /** One run of a fresh model on every engine; returns the sequential model and result. */
  record Outcome(LifeModel model, RunResult result) {}

  static Outcome runEverywhere(Supplier<LifeModel> build, long endTime) {
    LifeModel reference = build.get();
    RunResult expected = new SequentialEngine().run(reference, RunSpec.until(endTime, 1));
    for (int threads : new int[] {1, 2, 4}) {
      LifeModel model = build.get();
      RunResult actual = new ActorEngine().run(model, RunSpec.until(endTime, threads));
      String as = model.name() + " on the actor engine with " + threads + " threads, seed " + model.seed();
      assertThat(actual.digest()).as(as).isEqualTo(expected.digest());
      assertThat(actual.events()).as(as).isEqualTo(expected.events());
      assertThat(actual.faults()).as(as).isEqualTo(expected.faults());
      assertThat(actual.virtualEndNs()).as(as).isEqualTo(expected.virtualEndNs());
      assertThat(model.journals()).as(as).isEqualTo(reference.journals());
    }
    return new Outcome(reference, expected);
  }

  /** Entity {@code from} sends entity {@code to} an event every {@code every} ns until {@code until}. */
  static void ticker(LifeModel m, int from, int to, long delay, long every, long until) {
    m.script(from).at(0, ctx -> ctx.send(from, 0, 0, "tick")).onEvent((ctx, source, data, payload) -> {
      if ("tick".equals(payload)) {
        ctx.send(to, delay, 0, "hello");
        if (ctx.now() + every < until) {
          ctx.send(from, every, 0, "tick");
        }
      }
    });
  }

  @Test
  void aSupervisorRestartsWithBackoffUpToItsMaximumThenStopsAndAStoppedChildStaysDead() {
    Supplier<LifeModel> build = () -> {
      LifeModel m = new LifeModel("restart", 2, 3);
      m.supervise(1, 0, 100, SupervisorStrategy.restart(2, 500, 2_000));
      m.supervise(2, 0, 100, SupervisorStrategy.stop());
      m.script(1).at(1_000, ctx -> ctx.crash("boom"))
          .onEvent((ctx, source, data, payload) -> m.log(ctx, "got " + payload + " from " + source));
      m.script(2).at(500, ctx -> {
        throw new EntityCrash("bad luck");
      }).at(600, ctx -> m.log(ctx, "still here"));
      ticker(m, 3, 1, 1_000, 300, 6_000);
      return m;
    };
    Outcome o = runEverywhere(build, 20_000);
    assertThat(o.model().journal(0)).containsExactly(
        "t=0 start incarnation 0",
        "t=600 ChildFailed[child=2, incarnation=0, diedAt=500, cause=bad luck, directive=Stop[]]",
        "t=1100 ChildFailed[child=1, incarnation=0, diedAt=1000, cause=boom, directive=Restart[backoffNs=500]]",
        "t=2700 ChildFailed[child=1, incarnation=1, diedAt=2600, cause=boom, directive=Restart[backoffNs=1000]]",
        "t=4800 ChildFailed[child=1, incarnation=2, diedAt=4700, cause=boom, directive=Stop[]]");
    List<String> one = o.model().journal(1);
    assertThat(one).filteredOn(l -> l.contains("start")).containsExactly(
        "t=0 start incarnation 0", "t=1600 start incarnation 1", "t=3700 start incarnation 2");
    // ticks arrive at 1000 + 300k; those while entity 1 is dead (from 1000, 2600 and 4700 on) are dropped
    assertThat(one).filteredOn(l -> l.contains("got")).extracting(l -> l.substring(0, l.indexOf(' ')))
        .containsExactly("t=1600", "t=1900", "t=2200", "t=2500", "t=3700", "t=4000", "t=4300", "t=4600");
    assertThat(o.model().journal(2)).containsExactly("t=0 start incarnation 0");
    assertThat(o.result().faults()).isEqualTo(new RunResult.Faults(4, 2, 13, 0));
  }

  @Test
  void anEntityThatCrashesInItsStartHookFailsAtThatTimeAndIsRestartedLikeAnyOther() {
    Supplier<LifeModel> build = () -> {
      LifeModel m = new LifeModel("start-crash", 2, 2);
      m.supervise(1, 2, 1_000, SupervisorStrategy.restart(3, 0, 0)); // across domains: at least the lookahead
      m.script(1).onStart(ctx -> {
        if (ctx.incarnation() < 2) {
          ctx.crash("no memory at boot");
        }
      });
      m.script(3).at(0, ctx -> ctx.watch(1, 1_500));
      return m;
    };
    Outcome o = runEverywhere(build, 50_000);
    assertThat(o.model().journal(1)).containsExactly("t=0 start incarnation 0", "t=2000 start incarnation 1",
        "t=4000 start incarnation 2");
    assertThat(o.model().journal(2)).containsExactly("t=0 start incarnation 0",
        "t=1000 ChildFailed[child=1, incarnation=0, diedAt=0, cause=no memory at boot, directive=Restart[backoffNs=0]]",
        "t=3000 ChildFailed[child=1, incarnation=1, diedAt=2000, cause=no memory at boot, "
            + "directive=Restart[backoffNs=0]]");
    // the watch reached entity 1 at 1500, while it was dead: the answer comes one latency later
    assertThat(o.model().journal(3)).containsExactly("t=0 start incarnation 0",
        "t=3000 Terminated[entity=1, incarnation=0, diedAt=0]");
    assertThat(o.result().faults()).isEqualTo(new RunResult.Faults(2, 2, 0, 0));
  }

  @Test
  void anEscalatedFailureFailsTheSupervisorWhoseSupervisorRestartsTheWholeSubtree() {
    Supplier<LifeModel> build = () -> {
      LifeModel m = new LifeModel("escalate", 2, 3);
      // 0 plays IHK's master (domain 0), 3 an OS instance (domain 1), 4 and 5 its CPUs
      m.supervise(3, 0, 1_000, SupervisorStrategy.restart(1, 2_000, 2_000));
      m.supervise(4, 3, 100, SupervisorStrategy.escalate());
      m.supervise(5, 3, 100, SupervisorStrategy.escalate());
      m.script(4).first(0).at(5_000, ctx -> ctx.crash("panic"));
      m.script(1).at(0, ctx -> ctx.watch(5));
      return m;
    };
    Outcome o = runEverywhere(build, 20_000);
    LifeModel m = o.model();
    assertThat(m.journal(4)).containsExactly("t=0 start incarnation 0", "t=8200 start incarnation 1");
    assertThat(m.journal(3)).containsExactly(
        "t=0 start incarnation 0",
        "t=5100 ChildFailed[child=4, incarnation=0, diedAt=5000, cause=panic, directive=Escalate[]]",
        "t=8100 start incarnation 1");
    assertThat(m.journal(5)).containsExactly("t=0 start incarnation 0", "t=8200 start incarnation 1");
    assertThat(m.journal(0)).containsExactly(
        "t=0 start incarnation 0",
        "t=6100 ChildFailed[child=3, incarnation=0, diedAt=5100, cause=child 4 failed: panic, "
            + "directive=Restart[backoffNs=2000]]");
    // a CPU stopped with its instance is dead from the moment the stop reaches it
    assertThat(m.journal(1)).containsExactly(
        "t=0 start incarnation 0", "t=6200 Terminated[entity=5, incarnation=0, diedAt=5200]");
    assertThat(o.result().faults()).isEqualTo(new RunResult.Faults(2, 3, 0, 0));
  }

  @Test
  void aWatcherIsToldOnceAtTheDeathPlusTheLatencyOrAtOnceIfTheEntityIsAlreadyDead() {
    Supplier<LifeModel> build = () -> {
      LifeModel m = new LifeModel("watch", 2, 3);
      m.script(3).at(5_000, ctx -> ctx.crash("gone"));
      m.script(0).at(0, ctx -> ctx.watch(3)); // across domains, the lookahead
      m.script(1).at(7_000, ctx -> ctx.watch(3)).at(0, ctx -> ctx.watch(4)); // after the death; 4 never dies
      m.script(2).at(0, ctx -> ctx.watch(3)).at(4_000, ctx -> ctx.unwatch(3));
      m.script(4).at(0, ctx -> ctx.watch(3, 100)).at(10, ctx -> ctx.watch(3, 100)); // same domain, twice
      m.script(5).at(0, ctx -> ctx.watch(3, 2_500));
      return m;
    };
    Outcome o = runEverywhere(build, 20_000);
    LifeModel m = o.model();
    String died = "Terminated[entity=3, incarnation=0, diedAt=5000]";
    assertThat(m.journal(0)).containsExactly("t=0 start incarnation 0", "t=6000 " + died);
    assertThat(m.journal(1)).containsExactly("t=0 start incarnation 0", "t=9000 " + died);
    assertThat(m.journal(2)).containsExactly("t=0 start incarnation 0");
    assertThat(m.journal(4)).containsExactly("t=0 start incarnation 0", "t=5100 " + died);
    assertThat(m.journal(5)).containsExactly("t=0 start incarnation 0", "t=7500 " + died);
    assertThat(o.result().faults()).isEqualTo(new RunResult.Faults(1, 0, 0, 0));
  }

  /** Entity {@code id} answers asks: data 1 at once, data 2 after 3000 ns, data 3 never. */
  static void answerer(LifeModel m, int id) {
    m.script(id).onEvent((ctx, source, data, payload) -> {
      AskRef ask = ctx.currentAsk();
      if (ask != null) {
        m.log(ctx, "asked " + payload + " by " + source);
        if (data == 1) {
          ctx.reply(ask, ctx.self() / 3 == ask.asker() / 3 ? 100 : 1_000, 7, "pong");
        } else if (data == 2) {
          ctx.send(ctx.self(), 3_000, 0, ask);
        }
      } else if (payload instanceof AskRef later) {
        ctx.reply(later, 1_000, 8, "late pong");
      }
    });
  }

  @Test
  void anAskGetsExactlyOneOfTheReplyTheTimeoutOrTheTargetsDeathAndLateRepliesAreDropped() {
    Supplier<LifeModel> build = () -> {
      LifeModel m = new LifeModel("ask", 2, 3);
      answerer(m, 3);
      answerer(m, 4);
      m.script(4).at(7_000, ctx -> ctx.crash("dies"));
      m.script(0).at(5_000, ctx -> ctx.ask(3, 1_000, 1, "ping", 10_000))
          .at(5_000, ctx -> ctx.ask(3, 1_000, 2, "slow", 2_000));
      m.script(1).at(5_000, ctx -> ctx.ask(4, 1_000, 3, "doomed", 100_000));
      m.script(2).at(9_000, ctx -> ctx.ask(4, 1_000, 1, "too late", 100_000));
      m.script(5).at(5_000, ctx -> ctx.ask(4, 100, 1, "local", 50_000));
      return m;
    };
    Outcome o = runEverywhere(build, 200_000);
    LifeModel m = o.model();
    // at one instant the engine's order decides: the timeout (from entity 0 itself) before the answer (from 3)
    assertThat(m.journal(0)).containsExactly("t=0 start incarnation 0",
        "t=7000 TimedOut[askId=1, target=3]",
        "t=7000 Answered[askId=0, target=3, data=7, payload=pong]");
    assertThat(m.journal(3)).containsExactly("t=0 start incarnation 0", "t=6000 asked ping by 0",
        "t=6000 asked slow by 0");
    assertThat(m.journal(1)).containsExactly("t=0 start incarnation 0",
        "t=8000 TargetDied[askId=0, target=4, diedAt=7000]");
    assertThat(m.journal(2)).containsExactly("t=0 start incarnation 0",
        "t=11000 TargetDied[askId=0, target=4, diedAt=7000]");
    assertThat(m.journal(5)).containsExactly("t=0 start incarnation 0",
        "t=5200 Answered[askId=0, target=4, data=7, payload=pong]");
    // the slow answer reaches entity 0 at 10000, after its timeout: one late reply; one request to a dead entity
    assertThat(o.result().faults()).isEqualTo(new RunResult.Faults(1, 0, 1, 1));
    // the timers of asks that ended earlier (the last at 109000) neither count nor extend the run
    assertThat(o.result().virtualEndNs()).isEqualTo(11_000);
  }

  @Test
  void aModelMarksItsOwnExceptionsAsCrashesAndAnyOtherExceptionStillStopsTheRun() {
    final class Panic extends RuntimeException {
      Panic() {
        super("kernel panic");
      }
    }
    LifeModel crashes = new LifeModel("marked", 1, 2).crashesOn(e -> e instanceof Panic);
    crashes.supervise(1, 0, 100, SupervisorStrategy.stop());
    crashes.script(1).at(1_000, ctx -> {
      throw new Panic();
    });
    RunResult r = new SequentialEngine().run(crashes, RunSpec.until(10_000, 1));
    assertThat(r.faults().failures()).isEqualTo(1);
    assertThat(crashes.journal(0)).last().asString().contains("Panic: kernel panic, directive=Stop[]");
    LifeModel bug = new LifeModel("bug", 1, 2);
    bug.script(1).at(1_000, ctx -> {
      throw new IllegalStateException("model bug");
    });
    for (String engine : List.of("sequential", "actors")) {
      assertThatThrownBy(() -> Engine.named(engine).run(bug, RunSpec.until(10_000, 2)))
          .isInstanceOf(SimulationFailure.class).hasMessageContaining("entity 1 failed at t=1000ns");
    }
  }

  @Test
  void aSupervisionThatIsNoTreeOrTooFastForTheLookaheadIsRefusedBeforeTheRun() {
    LifeModel cycle = new LifeModel("cycle", 1, 3);
    cycle.supervise(0, 1, 100, SupervisorStrategy.stop()).supervise(1, 2, 100, SupervisorStrategy.stop())
        .supervise(2, 0, 100, SupervisorStrategy.stop());
    assertThatThrownBy(() -> new SequentialEngine().run(cycle, RunSpec.until(1_000, 1)))
        .hasMessageContaining("among its own supervisors");
    LifeModel fast = new LifeModel("fast", 2, 1);
    fast.supervise(1, 0, 999, SupervisorStrategy.stop());
    assertThatThrownBy(() -> new SequentialEngine().run(fast, RunSpec.until(1_000, 1)))
        .hasMessageContaining("below the lookahead of 1000ns");
  }
}
