package io.mcksim.actors.engine;

/** Runs a model in virtual time. Both implementations give the same digest for the same model. */
public interface Engine {

  /** "actors" or "sequential". */
  String name();

  RunResult run(SimModel model, RunSpec spec);

  static Engine named(String name) {
    return switch (name) {
      case "actors" -> new ActorEngine();
      case "sequential" -> new SequentialEngine();
      default -> throw new IllegalArgumentException("unknown engine '" + name
          + "'; choose actors or sequential");
    };
  }
}
