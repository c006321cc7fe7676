package io.mcksim.actors.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A scripted test model for supervision, deathwatch and ask: {@code domains} domains of
 * {@code perDomain} entities (entity {@code id} in domain {@code id / perDomain}), lookahead 1000 ns
 * between domains and 100 ns within one. Each entity runs a {@link Script}: actions at virtual times
 * after each start of an incarnation, and an answer to plain events. Every start, every signal and
 * every note an entity makes goes into its journal, one line each, with the virtual time.
 */
final class LifeModel implements SimModel {

  /** An action of an entity at a time, or in answer to an event. */
  @FunctionalInterface
  interface Action {
    void run(SimContext ctx);
  }

  /** What an entity does, per incarnation (a restart starts the script again). */
  static final class Script {
    private final List<long[]> times = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private EventHandler onEvent = (ctx, source, data, payload) -> {};
    private Consumer<Signal> onSignal = s -> {};
    private Action onStart = ctx -> {};
    private int onlyIncarnation = -1;

    /** Runs {@code action} inside every start hook (after the journal line). */
    Script onStart(Action action) {
      this.onStart = action;
      return this;
    }

    /** Runs {@code action} {@code delay} ns after each start (of the incarnations {@link #first} allows). */
    Script at(long delay, Action action) {
      times.add(new long[] {delay});
      actions.add(action);
      return this;
    }

    Script onEvent(EventHandler handler) {
      this.onEvent = handler;
      return this;
    }

    /** Called (after the journal line) for every signal. */
    Script onSignal(Consumer<Signal> handler) {
      this.onSignal = handler;
      return this;
    }

    /** The timed actions run only in incarnation {@code incarnation}. */
    Script first(int incarnation) {
      this.onlyIncarnation = incarnation;
      return this;
    }
  }

  @FunctionalInterface
  interface EventHandler {
    void handle(SimContext ctx, int source, long data, Object payload);
  }

  /** Marks the self-events that carry a timed action. */
  private static final Object TIMED = new Object();

  private final String name;
  private final int domains;
  private final int perDomain;
  private final Map<Integer, Script> scripts = new HashMap<>();
  private final Map<Integer, Supervision> supervision = new HashMap<>();
  private final Map<Integer, List<String>> journal = new TreeMap<>();

  LifeModel(String name, int domains, int perDomain) {
    this.name = name;
    this.domains = domains;
    this.perDomain = perDomain;
  }

  Script script(int id) {
    return scripts.computeIfAbsent(id, k -> new Script());
  }

  /** Marks further exceptions as crashes (besides {@link EntityCrash}). */
  LifeModel crashesOn(java.util.function.Predicate<Throwable> marked) {
    this.marked = marked;
    return this;
  }

  private java.util.function.Predicate<Throwable> marked = e -> false;

  @Override
  public boolean isCrash(Throwable error) {
    return error instanceof EntityCrash || marked.test(error);
  }

  LifeModel supervise(int child, int supervisor, long latency, SupervisorStrategy strategy) {
    supervision.put(child, new Supervision(supervisor, latency, strategy));
    return this;
  }

  /** What entity {@code id} saw, in its order. */
  List<String> journal(int id) {
    synchronized (journal) {
      return List.copyOf(journal.getOrDefault(id, List.of()));
    }
  }

  /** Every journal, by entity. */
  Map<Integer, List<String>> journals() {
    synchronized (journal) {
      Map<Integer, List<String>> copy = new TreeMap<>();
      journal.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return copy;
    }
  }

  /** Appends {@code line} at the context's time to entity {@code ctx.self()}'s journal. */
  void log(SimContext ctx, String line) {
    synchronized (journal) {
      journal.computeIfAbsent(ctx.self(), k -> Collections.synchronizedList(new ArrayList<>()))
          .add("t=" + ctx.now() + " " + line);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long seed() {
    return 1;
  }

  @Override
  public int entityCount() {
    return domains * perDomain;
  }

  @Override
  public int domainCount() {
    return domains;
  }

  @Override
  public int domainOf(int entity) {
    return entity / perDomain;
  }

  @Override
  public long lookahead() {
    return 1_000;
  }

  @Override
  public long localLookahead() {
    return 100;
  }

  @Override
  public Supervision supervision(int id) {
    return supervision.get(id);
  }

  @Override
  public SimEntity createEntity(int id) {
    Script script = scripts.getOrDefault(id, new Script());
    return new SimEntity() {
      @Override
      public void start(SimContext ctx) {
        log(ctx, "start incarnation " + ctx.incarnation());
        script.onStart.run(ctx);
        if (script.onlyIncarnation < 0 || script.onlyIncarnation == ctx.incarnation()) {
          for (int i = 0; i < script.times.size(); i++) {
            ctx.send(id, script.times.get(i)[0], i, TIMED);
          }
        }
      }

      @Override
      public void onEvent(SimContext ctx, int source, long data, Object payload) {
        if (payload == TIMED) {
          script.actions.get((int) data).run(ctx);
        } else {
          script.onEvent.handle(ctx, source, data, payload);
        }
      }

      @Override
      public void onSignal(SimContext ctx, Signal signal) {
        log(ctx, signal.toString());
        script.onSignal.accept(signal);
      }
    };
  }
}
