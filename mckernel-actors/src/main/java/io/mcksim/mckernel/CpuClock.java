package io.mcksim.mckernel;

import io.mcksim.actors.engine.RunAhead;
import io.mcksim.actors.engine.SimContext;
import io.mcksim.config.McKernelCosts;
import io.mcksim.workloads.FixedTimeQuanta;
import io.mcksim.workloads.Op;

/**
 * The clock of one McKernel CPU: when the running thread's next step comes, and how long its work
 * takes on this CPU. McKernel has no tick while one thread is runnable; while more are, a timer tick
 * ({@code costs.mckernel}) takes its cost from the running thread's work. An interrupt handler that
 * runs here (an IKC packet's) takes its time from a computation in progress, which ends later.
 *
 * <p>A step is a message to the CPU itself whose event word carries a token ({@link #stepWord}); setting
 * a new step voids the one set before, so a computation stretched by a tick or an interrupt simply plans
 * its end again. A step has no payload object: a CPU of a large machine takes several steps per call,
 * and each would otherwise be an allocation and a cache miss when it comes.
 */
final class CpuClock {

  /**
   * The event word of the CPU's step with {@code token}: the token above four clear low bits, so that no
   * step is ever 0 or a word of the BSP protocol ({@code RankSync}, whose kind is in bits 0-3).
   */
  static long stepWord(long token) {
    return token << 4;
  }

  /** Whether the event word of a payload-less event is a step's. */
  static boolean isStep(long word) {
    return word != 0 && (word & 0xF) == 0;
  }

  private final McKernelCosts mckernel;
  private final CpuCounters counters;
  private long token;
  /** The running thread's computation in progress, if any, and whether the tick runs during it. */
  private boolean computing;
  private boolean ticking;
  private long computeStart;
  private long computeWork;
  /** The part of the computation planned last: from when, and how much work was left then. */
  private long segmentStart;
  private long segmentWork;
  /** Interrupt time the current computation has lost. */
  private long computeIrqNs;
  /** When the computation begun last ends, as planned then. */
  private long plannedEnd;

  CpuClock(McKernelCosts mckernel, CpuCounters counters) {
    this.mckernel = mckernel;
    this.counters = counters;
  }

  /** The CPU's next step comes after {@code delay}; a step set before is void. */
  void stepAfter(SimContext ctx, long delay) {
    ctx.send(ctx.self(), delay, stepWord(++token), null);
  }

  /** Whether the step of event word {@code word} is the one last set (an older one is void). */
  boolean due(long word) {
    return word == stepWord(token);
  }

  /** The running thread died: whatever it had planned is void. */
  void cancel() {
    token++;
    computing = false;
  }

  /**
   * A signal interrupts the running thread's computation now (its handler runs first): the step that
   * would end it is void (the computation's parts are not logged as one). Returns the work still to do,
   * or -1 if the thread is not computing.
   */
  long preempt(SimContext ctx) {
    if (!computing) {
      return -1;
    }
    long left = workLeft(ctx.now());
    token++;
    computing = false;
    return left;
  }

  /**
   * The running thread computes for {@code ns} from now; {@code oversubscribed}: another thread is
   * runnable, so the tick runs and takes its cost from the work.
   */
  void compute(SimContext ctx, long ns, boolean oversubscribed) {
    compute(ctx, ns, oversubscribed, null);
  }

  /**
   * Like {@link #compute(SimContext, long, boolean)}; with {@code ahead}, the step that ends the
   * computation, and the computations after it, may be taken in closed form ({@link SimContext#runAhead}).
   */
  void compute(SimContext ctx, long ns, boolean oversubscribed, RunAhead ahead) {
    begin(ctx.now(), ns, oversubscribed);
    if (ahead == null) {
      stepAfter(ctx, plannedEnd - ctx.now());
    } else {
      token++;
      ctx.runAhead(ahead);
    }
  }

  /**
   * The running thread's step came at {@code now} and it computes for {@code ns} more, in closed form:
   * what {@link #stepped} then {@link #compute} do, the next step planned ({@link #plannedEnd},
   * {@link #plannedWord}) rather than sent.
   */
  void computeNext(long now, long ns, boolean oversubscribed) {
    stepped(now);
    begin(now, ns, oversubscribed);
    token++;
  }

  /**
   * Up to {@code max} steps of a thread that computes {@code ns} again and again, without the tick,
   * in closed form: the CPU is left as that many {@link #computeNext} calls (from the planned step on,
   * each no later than {@code until}) would leave it, and {@code taken} hears of each step's event.
   * Returns how many steps.
   */
  long computeRun(long until, long ns, long max, RunAhead.Taken taken) {
    long first = plannedEnd;
    if (max <= 0 || first > until || ns < 0) {
      return 0;
    }
    long n = ns == 0 ? max : Math.min(max, (until - first) / ns + 1);
    for (long k = 0; k < n; k++) {
      taken.event(first + k * ns, stepWord(token + k), 0);
    }
    stepped(first);
    if (n > 1) {
      counters.computed(ns, n - 1); // each later step ends a computation of exactly ns: no tick, no irq
    }
    begin(first + (n - 1) * ns, ns, false);
    token += n;
    return n;
  }

  /** The computation starts at {@code now}: when it ends, the tick's cost included. */
  private void begin(long now, long ns, boolean oversubscribed) {
    computing = true;
    computeStart = now;
    computeWork = ns;
    computeIrqNs = 0;
    ticking = oversubscribed;
    segmentStart = now;
    segmentWork = ns;
    plannedEnd = ticking ? mckernel.stretch(now, ns) : now + ns;
  }

  /** When the computation begun last ends, as planned when it began. */
  long plannedEnd() {
    return plannedEnd;
  }

  /** The event word of the step set last. */
  long plannedWord() {
    return stepWord(token);
  }

  /**
   * The running thread's step came: a computation that ended with it is logged, and the time the tick
   * took from it counted.
   */
  void stepped(long now) {
    if (computing) {
      counters.computed(now - computeStart);
      counters.tickNs += now - computeStart - computeWork - computeIrqNs;
    }
    computing = false;
  }

  /**
   * A second thread became runnable: a computation in progress without the tick has it from now on,
   * so the rest of its work stretches.
   */
  void oversubscribed(SimContext ctx) {
    if (!computing || ticking) {
      return;
    }
    long remaining = workLeft(ctx.now());
    ticking = true;
    // an interrupt handler still running keeps the CPU until it is done
    plan(ctx, Math.max(ctx.now(), segmentStart), remaining);
  }

  /**
   * An interrupt handler ran on this CPU for {@code cost} from now (an IKC packet's interrupt and
   * what the handler does): a computation that runs here loses that time and ends later.
   */
  void interrupt(SimContext ctx, long cost) {
    if (!computing || cost == 0) {
      return;
    }
    long remaining = workLeft(ctx.now());
    counters.irqNs += cost;
    computeIrqNs += cost;
    // handlers run one after another: this one starts when any still running is done
    plan(ctx, Math.max(ctx.now(), segmentStart) + cost, remaining);
  }

  /**
   * How long {@code ns} of kernel work for the running thread (a local call, marshalling, resuming)
   * takes from now: under the tick while {@code oversubscribed}, which takes its cost from it.
   */
  long inKernel(SimContext ctx, long ns, boolean oversubscribed) {
    if (!oversubscribed) {
      return ns;
    }
    long took = mckernel.stretch(ctx.now(), ns) - ctx.now();
    counters.tickNs += took - ns;
    return took;
  }

  /**
   * FTQ from now: no noise here but the tick while the CPU is {@code oversubscribed}; each quantum's
   * units of work are logged. Returns how long the quanta take.
   */
  long fixedTime(long now, Op.FixedTime f, boolean oversubscribed) {
    return FixedTimeQuanta.run(f, now, new FixedTimeQuanta.Cpu() {
      @Override
      public long workBetween(long from, long to) {
        return to - from - (oversubscribed ? mckernel.ticksIn(from, to) * mckernel.tickCost() : 0);
      }

      @Override
      public long quietUntil(long t) {
        return oversubscribed ? t : Long.MAX_VALUE; // the tick's times are not looked ahead
      }
    }, counters.ftqCounts());
  }

  /** Work of the current computation still to do at {@code now}. */
  private long workLeft(long now) {
    long elapsed = Math.max(0, now - segmentStart);
    long lost = ticking ? mckernel.ticksIn(segmentStart, now) * mckernel.tickCost() : 0;
    return Math.max(0, segmentWork - Math.max(0, elapsed - lost));
  }

  /** The computation goes on from {@code from} with {@code work} left, under the tick if it runs. */
  private void plan(SimContext ctx, long from, long work) {
    segmentStart = from;
    segmentWork = work;
    long end = ticking ? mckernel.stretch(from, work) : from + work;
    stepAfter(ctx, end - ctx.now());
  }
}
