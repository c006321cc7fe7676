package io.mcksim.workloads.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scenario fragment of fitted values: one {@code key = value} line per value, each after the comment
 * lines that say how well it fits, so that the whole text is a scenario file (to include, or to give to
 * {@code bin/mcksim run}) and each value line is also a {@code --set} argument as it stands.
 */
public final class Fragment {

  private final StringBuilder text = new StringBuilder();
  private final Map<String, String> values = new TreeMap<>();
  private final List<String> order = new ArrayList<>();

  /** A comment line (or several, split at line breaks). */
  public Fragment comment(String line) {
    for (String l : line.split("\n", -1)) {
      text.append("# ").append(l).append('\n');
    }
    return this;
  }

  /** A blank line between groups. */
  public Fragment blank() {
    text.append('\n');
    return this;
  }

  /** {@code key = value}, the value as HOCON text. */
  public Fragment set(String key, String value) {
    text.append(key).append(" = ").append(value).append('\n');
    values.put(key, value);
    order.add(key);
    return this;
  }

  /** The values set, by key. */
  public Map<String, String> values() {
    return Map.copyOf(values);
  }

  /** The keys set, in order. */
  public List<String> keys() {
    return List.copyOf(order);
  }

  /** The fragment's text. */
  public String text() {
    return text.toString();
  }

  /** Appends another fragment's text and values. */
  public Fragment append(Fragment other) {
    text.append(other.text);
    for (String k : other.order) {
      values.put(k, other.values.get(k));
      order.add(k);
    }
    return this;
  }
}
