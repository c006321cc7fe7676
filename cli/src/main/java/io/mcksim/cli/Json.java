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

  private static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Json || v instanceof SyscallsRun.RawJson) {
      return v.toString();
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
