package io.mcksim.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code sweep} section: scenario keys, each with the values to run it with, and groups of keys
 * that vary together ({@code zip}): the i-th run of a group takes the i-th value of each of its keys, so
 * that a sweep over (frequency, duration) pairs is one list per key, not their product.
 *
 * <p>A sweep runs every combination of its dimensions: a key alone, or a zipped group at the place of
 * its first key; in key order, the last dimension varying fastest.
 *
 * @param values each key's values, as HOCON text ready for a {@code key=value} override
 * @param zipped the groups of keys that vary together, each of at least two keys of {@code values} with
 *        lists of one length, no key in two groups
 */
public record Sweep(Map<String, List<String>> values, List<List<String>> zipped) {

  /** No sweep. */
  public static final Sweep NONE = new Sweep(Map.of(), List.of());

  public Sweep {
    values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
    zipped = zipped.stream().map(List::copyOf).toList();
    Set<String> seen = new HashSet<>();
    for (List<String> group : zipped) {
      for (String key : group) {
        if (!values.containsKey(key) || !seen.add(key)
            || values.get(key).size() != values.get(group.get(0)).size()) {
          throw new IllegalArgumentException("zip group " + group + ": each key once, each a swept key, "
              + "all with lists of one length");
        }
      }
    }
  }

  /** A sweep of {@code values}, every combination of them. */
  public static Sweep of(Map<String, List<String>> values) {
    return new Sweep(values, List.of());
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The swept keys in the order of their columns: dimension by dimension. */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    dimensions().forEach(out::addAll);
    return out;
  }

  /** The number of swept keys. */
  public int size() {
    return values.size();
  }

  /** The dimensions: a key alone, or a zipped group at the place of its first key, in key order. */
  public List<List<String>> dimensions() {
    List<List<String>> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (String key : values.keySet()) {
      if (done.contains(key)) {
        continue;
      }
      List<String> group = zipped.stream().filter(g -> g.contains(key)).findFirst().orElse(List.of(key));
      done.addAll(group);
      out.add(group);
    }
    return out;
  }

  /** The number of runs: the product of the dimensions' lengths (saturating at {@code Long.MAX_VALUE}). */
  public long runs() {
    long runs = 1;
    for (List<String> d : dimensions()) {
      int n = values.get(d.get(0)).size();
      runs = runs > Long.MAX_VALUE / Math.max(1, n) ? Long.MAX_VALUE : runs * n;
    }
    return runs;
  }

  /** Every combination, as ordered key to value maps (the keys in {@link #keys} order). */
  public List<Map<String, String>> combinations() {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (List<String> dimension : dimensions()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : out) {
        for (int i = 0; i < values.get(dimension.get(0)).size(); i++) {
          Map<String, String> m = new LinkedHashMap<>(partial);
          for (String key : dimension) {
            m.put(key, values.get(key).get(i));
          }
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }
}
