package io.mcksim.bench;

import io.mcksim.actors.engine.Engine;
import io.mcksim.actors.engine.RunResult;
import io.mcksim.actors.engine.RunSpec;
import io.mcksim.actors.engine.SequentialEngine;
import io.mcksim.actors.phold.Phold;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole run of a small PHOLD model per invocation, on the actor engine or on the sequential
 * baseline. For the actor engine the measured time includes creating and terminating the actor system
 * of the run, as a user of {@link Engine#run} sees it.
 *
 * <p>The actor engine runs on as many dispatcher threads as the machine has processors. Both engines
 * must give the same digest; the setup checks that once per fork, so a benchmark never times a wrong
 * run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class PholdBenchmark {

  /** Virtual end time of every run, ns. */
  static final long END_TIME_NS = 20_000;

  @Param({"sequential", "actors"})
  public String engine;

  private Engine subject;
  private Phold model;
  private RunSpec spec;

  /** The benchmarked model: 10,000 entities in 16 domains, 4 events each, a quarter remote. */
  static Phold model() {
    return new Phold(new Phold.Params(10_000, 16, 4, 1_000, 1_000, 0.25, 42));
  }

  @Setup
  public void setUp() {
    subject = Engine.named(engine);
    model = model();
    spec = RunSpec.until(END_TIME_NS, Runtime.getRuntime().availableProcessors())
        .withWallClock(System::nanoTime);
    String expected = new SequentialEngine().run(model(), spec).digest();
    String actual = subject.run(model, spec).digest();
    if (!expected.equals(actual)) {
      throw new IllegalStateException("PHOLD digest of the " + engine + " engine (" + actual
          + ") differs from the sequential baseline's (" + expected + ")");
    }
  }

  /** One PHOLD run to {@link #END_TIME_NS}; the result goes to the blackhole. */
  @Benchmark
  public RunResult run() {
    return subject.run(model, spec);
  }
}
