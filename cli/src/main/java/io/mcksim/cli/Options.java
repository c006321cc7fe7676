package io.mcksim.cli;

import io.mcksim.config.ConfigProblem;
import io.mcksim.config.Scenario;
import io.mcksim.config.ScenarioException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Command-line options checked the way scenario keys are: a value outside its documented range is
 * refused before anything runs (exit 2), with one line that names the option and what it accepts.
 *
 * <p>An option that sets a scenario key ({@code --seed}, {@code --threads}, {@code --entities}, ...)
 * is checked by the scenario's own validation, the one place its range is kept; {@link #keys} makes
 * such a problem name the option as the user wrote it ({@code --threads -5: run.threads: ...}) rather
 * than as the {@code --set} override it became.
 */
final class Options {

  /** The most threads any option accepts (as {@code run.threads}); 0 means one per core. */
  static final int MAX_THREADS = 1024;

  private Options() {}

  /** {@code value}, or an error naming {@code option} when it lies outside {@code min..max}. */
  static long inRange(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + " " + value + ": out of range; expected " + range(min, max));
    }
    return value;
  }

  /** {@code value}, or an error naming {@code option} when it lies outside {@code min..max}. */
  static int inRange(String option, int value, int min, int max) {
    return (int) inRange(option, (long) value, min, max);
  }

  /** A thread count option: 0 (one per core) to {@link #MAX_THREADS}. */
  static int threads(String option, int value) {
    return inRange(option, value, 0, MAX_THREADS);
  }

  /** {@code values}, or an error naming {@code option} when the list is empty or holds a blank. */
  static <T> List<T> nonEmpty(String option, List<T> values, String example) {
    if (values == null || values.isEmpty() || values.contains(null)) {
      throw new IllegalArgumentException(option + ": expected a list of values, for example " + option + " "
          + example);
    }
    return values;
  }

  private static String range(long min, long max) {
    return max == Long.MAX_VALUE ? min + " or more" : min + "-" + max;
  }

  /** A new, empty set of option-to-key overrides. */
  static Keys keys() {
    return new Keys();
  }

  /** Scenario overrides that come from options: a problem with one names its option. */
  static final class Keys {
    private final List<String> overrides = new ArrayList<>();
    /** The {@code --set} form of each override, and of its key alone, to the option as written. */
    private final Map<String, String> written = new HashMap<>();

    private Keys() {}

    /** Adds {@code key=value} for {@code option value}; nothing when {@code value} is null. */
    Keys put(String option, String key, Object value) {
      if (value != null) {
        String override = key + "=" + value;
        overrides.add(override);
        written.put("--set " + override, option + " " + value);
        written.put(key, option + " " + value);
      }
      return this;
    }

    /** The overrides, in the order put. */
    List<String> overrides() {
      return List.copyOf(overrides);
    }

    /** What {@code loader} loads; its problems with these overrides name their options. */
    Scenario load(Supplier<Scenario> loader) {
      try {
        return loader.get();
      } catch (ScenarioException e) {
        List<ConfigProblem> named = new ArrayList<>();
        for (ConfigProblem p : e.problems()) {
          String option = written.get(p.origin());
          if (option == null && p.origin().equals("--set")) {
            option = written.get(p.path()); // an override that could not be parsed at all
          }
          named.add(option == null ? p : new ConfigProblem(option, p.path(), p.message()));
        }
        throw new ScenarioException(named);
      }
    }
  }
}
