package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds what substitutions expand to, before they are expanded. A value may be built of others
 * ({@code kargs = ${base}" quiet"}), and of itself ({@code x = ${x}${x}} doubles x), so a short text can
 * expand past any memory: thirty such lines make a string of 2^30 copies. This reads the unresolved
 * scenario as the parser left it (every value with its substitutions, every earlier value of a key
 * that was set again) and adds up an upper bound of each value's expanded size without expanding
 * anything: a substitution counts as the sum of every value its path may take (earlier ones only, for
 * a key that names itself). A scenario whose bound exceeds {@link InputLimits#MAX_EXPANDED_CHARS} is
 * refused, naming the value that grows most.
 */
final class ExpansionCheck {

  /** Beyond this a size is "too large" already; keeps the sums far from overflow. */
  private static final long CAP = Long.MAX_VALUE / 4;
  /** Substitutions followed through substitutions at most this deep when finding a path's values. */
  private static final int MAX_INDIRECTION = 32;

  /** One value of a key in an object: its path (null inside a list), its order among all values. */
  private static final class Entry {
    final String key;
    final List<String> path;
    final int seq;
    Value value;
    long size = -1;
    boolean busy;
    boolean substitutes;

    Entry(String key, List<String> path, int seq) {
      this.key = key;
      this.path = path;
      this.seq = seq;
    }
  }

  /** A value: the parts it is concatenated of. */
  private record Value(List<Object> parts) {}

  /** An object: its values by key, several for a key set again (earliest first). */
  private record Obj(Map<String, List<Entry>> entries) {}

  private record Sub(List<String> path) {}

  private record Lit(long size) {}

  private record Arr(List<Value> elements) {}

  private final String text;
  private int pos;
  private int seq;
  private final List<Entry> all = new ArrayList<>();

  private ExpansionCheck(String text) {
    this.text = text;
  }

  /**
   * The problem with {@code merged} (the scenario over its defaults, unresolved), or null when its
   * substitutions stay within the limit.
   */
  static ConfigProblem check(Config merged) {
    String rendered;
    try {
      rendered = merged.root().render(ConfigRenderOptions.concise());
    } catch (ConfigException e) {
      return null; // the resolver reports what is wrong with it
    }
    if (!rendered.contains("${")) {
      return null;
    }
    ExpansionCheck c = new ExpansionCheck(rendered);
    Obj root;
    try {
      root = c.object(List.of());
    } catch (RuntimeException e) {
      return null; // not the shape expected: leave the scenario to the resolver
    }
    long total = c.objectSize(root);
    if (total <= InputLimits.MAX_EXPANDED_CHARS) {
      return null;
    }
    Entry worst = null;
    for (Entry e : c.all) {
      if (e.path != null && e.substitutes && (worst == null || c.size(e) > c.size(worst))) {
        worst = e;
      }
    }
    String path = worst == null ? "(scenario)" : ConfigUtil.joinPath(worst.path);
    return new ConfigProblem(worst == null ? "" : place(merged, worst.path), path,
        "its substitutions may expand the scenario to as many as " + (total >= CAP ? "10^18"
        : String.format("%,d", total)) + " characters, more than the " + (InputLimits.MAX_EXPANDED_CHARS >> 20)
        + " MiB a scenario may expand to (a value built of itself twice doubles at every such line);"
        + " write the value out instead");
  }

  /** Where the value at {@code path} was set, as near as the unresolved scenario tells. */
  private static String place(Config merged, List<String> path) {
    ConfigValue v = merged.root();
    for (String key : path) {
      if (!(v instanceof ConfigObject o)) {
        break;
      }
      try {
        ConfigValue next = o.get(key);
        if (next == null) {
          break;
        }
        v = next;
      } catch (ConfigException e) {
        break;
      }
    }
    return ConfigProblem.placeOf(v.origin());
  }

  // --- sizes ---

  private long size(Entry e) {
    if (e.size >= 0) {
      return e.size;
    }
    if (e.busy) {
      return 0; // a cycle: the resolver reports it
    }
    e.busy = true;
    long s = valueSize(e.value, e);
    e.busy = false;
    e.size = s;
    return s;
  }

  private long valueSize(Value v, Entry owner) {
    long sum = 0;
    for (Object part : v.parts()) {
      long s;
      if (part instanceof Lit l) {
        s = l.size();
      } else if (part instanceof Obj o) {
        s = objectSize(o);
      } else if (part instanceof Arr a) {
        s = a.elements().size();
        for (Value e : a.elements()) {
          s = add(s, valueSize(e, owner));
        }
      } else {
        s = subSize(((Sub) part).path(), owner);
      }
      sum = add(sum, s);
    }
    return sum;
  }

  private long objectSize(Obj o) {
    long sum = 0;
    for (List<Entry> layers : o.entries().values()) {
      for (Entry e : layers) {
        sum = add(sum, add(e.key.length(), size(e)));
      }
    }
    return sum;
  }

  private long subSize(List<String> path, Entry owner) {
    List<Entry> values = new ArrayList<>();
    find(rootObj, path, 0, values, 0);
    if (values.isEmpty()) {
      String env = System.getenv(String.join(".", path));
      return env == null ? 0 : env.length();
    }
    long sum = 0;
    boolean self = owner != null && path.equals(owner.path);
    for (Entry e : values) {
      if (!self || e.seq < owner.seq) {
        sum = add(sum, size(e));
      }
    }
    return sum;
  }

  private Obj rootObj;

  /** Every value {@code path} (from element {@code i}) may take within {@code o}. */
  private void find(Obj o, List<String> path, int i, List<Entry> out, int indirection) {
    List<Entry> layers = o.entries().get(path.get(i));
    if (layers == null) {
      return;
    }
    for (Entry e : layers) {
      if (i == path.size() - 1) {
        out.add(e);
        continue;
      }
      for (Object part : e.value.parts()) {
        if (part instanceof Obj inner) {
          find(inner, path, i + 1, out, indirection);
        } else if (part instanceof Sub s && indirection < MAX_INDIRECTION) {
          List<String> via = new ArrayList<>(s.path());
          via.addAll(path.subList(i + 1, path.size()));
          find(rootObj, via, 0, out, indirection + 1);
        }
      }
    }
  }

  private static long add(long a, long b) {
    return Math.min(CAP, a + b);
  }

  // --- reading the concise rendering: JSON with ${...} substitutions and concatenations ---

  private Obj object(List<String> path) {
    Obj o = new Obj(new HashMap<>());
    if (rootObj == null) {
      rootObj = o;
    }
    expect('{');
    if (peek() == '}') {
      pos++;
      return o;
    }
    while (true) {
      String key = HoconCheck.unquote(quoted());
      expect(':');
      List<String> p = null;
      if (path != null) {
        p = new ArrayList<>(path);
        p.add(key);
      }
      Entry e = new Entry(key, p, seq++);
      e.value = value(p, e);
      o.entries().computeIfAbsent(key, k -> new ArrayList<>(1)).add(e);
      all.add(e);
      char c = text.charAt(pos++);
      if (c == '}') {
        return o;
      }
      if (c != ',') {
        throw new IllegalStateException("unexpected " + c);
      }
    }
  }

  private Value value(List<String> path, Entry owner) {
    List<Object> parts = new ArrayList<>(1);
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ',' || c == '}' || c == ']') {
        break;
      }
      if (c == '{') {
        parts.add(object(path));
      } else if (c == '[') {
        parts.add(array(owner));
      } else if (c == '"') {
        parts.add(new Lit(quoted().length() - 2));
      } else if (c == '$' && pos + 1 < text.length() && text.charAt(pos + 1) == '{') {
        int close = closeOfSubstitution();
        String expr = text.substring(pos + 2, close);
        if (expr.startsWith("?")) {
          expr = expr.substring(1);
        }
        parts.add(new Sub(ConfigUtil.splitPath(expr)));
        if (owner != null) {
          owner.substitutes = true;
        }
        pos = close + 1;
      } else {
        int start = pos;
        while (pos < text.length() && ",}]{[\"$".indexOf(text.charAt(pos)) < 0) {
          pos++;
        }
        if (pos == start) {
          pos++;
        }
        parts.add(new Lit(pos - start));
      }
    }
    return new Value(parts);
  }

  private Arr array(Entry owner) {
    expect('[');
    List<Value> elements = new ArrayList<>();
    if (peek() == ']') {
      pos++;
      return new Arr(elements);
    }
    while (true) {
      elements.add(value(null, owner));
      char c = text.charAt(pos++);
      if (c == ']') {
        return new Arr(elements);
      }
      if (c != ',') {
        throw new IllegalStateException("unexpected " + c);
      }
    }
  }

  private int closeOfSubstitution() {
    int i = pos + 2;
    while (text.charAt(i) != '}') {
      if (text.charAt(i) == '"') {
        i++;
        while (text.charAt(i) != '"') {
          i += text.charAt(i) == '\\' ? 2 : 1;
        }
      }
      i++;
    }
    return i;
  }

  /** A quoted string at the cursor, quotes included. */
  private String quoted() {
    int start = pos;
    expect('"');
    while (text.charAt(pos) != '"') {
      pos += text.charAt(pos) == '\\' ? 2 : 1;
    }
    pos++;
    return text.substring(start, pos);
  }

  private char peek() {
    return text.charAt(pos);
  }

  private void expect(char c) {
    if (text.charAt(pos) != c) {
      throw new IllegalStateException("expected " + c);
    }
    pos++;
  }
}
