package io.mcksim.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A small ordered JSON object writer: enough for the CLI's machine-readable output. */
final class Json {

  private final Map<String, Object> fields = new LinkedHashMap<>();

  Json put(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  /** A field's value, or null. */
  Object get(String key) {
    return fields.get(key);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(quote(e.getKey())).append(": ").append(value(e.getValue()));
    }
    return sb.append('}').toString();
  }

  /** A JSON array of values rendered as {@link #put} renders them. */
  static SyscallsRun.RawJson array(Iterable<?> values) {
    StringBuilder sb = new StringBuilder("[");
    for (Object v : values) {
      sb.append(sb.length() == 1 ? "" : ", ").append(value(v));
    }
    return new SyscallsRun.RawJson(sb.append(']').toString());
  }

  /** A JSON array of numbers. */
  static SyscallsRun.RawJson array(long[] values) {
    StringBuilder sb = new StringBuilder("[");
    for (long v : values) {
      sb.append(sb.length() == 1 ? "" : ",").append(v);
    }
    return new SyscallsRun.RawJson(sb.append(']').toString());
  }

  /**
   * The object with one field per line, nested objects and arrays indented (for files people read, such
   * as the JSON Schemas); arrays of numbers stay on one line.
   */
  String pretty() {
    return pretty(this, "");
  }

  private static String pretty(Object v, String indent) {
    String in = indent + "  ";
    if (v instanceof Json j) {
      if (j.fields.isEmpty()) {
        return "{}";
      }
      StringBuilder sb = new StringBuilder("{\n");
      int i = 0;
      for (Map.Entry<String, Object> e : j.fields.entrySet()) {
        sb.append(in).append(quote(e.getKey())).append(": ").append(pretty(e.getValue(), in))
            .append(++i < j.fields.size() ? ",\n" : "\n");
      }
      return sb.append(indent).append('}').toString();
    }
    if (v instanceof java.util.Collection<?> c && c.stream().anyMatch(x -> x instanceof Json
        || x instanceof java.util.Collection<?>)) {
      StringBuilder sb = new StringBuilder("[\n");
      int i = 0;
      for (Object x : c) {
        sb.append(in).append(pretty(x, in)).append(++i < c.size() ? ",\n" : "\n");
      }
      return sb.append(indent).append(']').toString();
    }
    return value(v);
  }

  /** A value as JSON: an object, a collection or array (as an array), a number, a boolean, text, null. */
  static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Json || v instanceof SyscallsRun.RawJson) {
      return v.toString();
    }
    if (v instanceof java.util.Collection<?> c) {
      return array(c).toString();
    }
    if (v instanceof long[] a) {
      return array(a).toString();
    }
    if (v instanceof double[] a) {
      return array(java.util.Arrays.stream(a).boxed().toList()).toString();
    }
    if (v instanceof Double d) {
      return Double.isFinite(d)
          ? new BigDecimal(d).round(new MathContext(10)).stripTrailingZeros().toPlainString()
          : "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return quote(v.toString());
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
