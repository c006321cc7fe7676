package io.mcksim.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The piecewise parse means what the whole parse means: the same values, resolved the same way, each
 * from the same line of the file, whatever the text is cut into.
 */
class PiecewiseParserTest {

  private static final ConfigParseOptions OPTIONS = ConfigParseOptions.defaults();

  /** Values by path with the file:line each came from. */
  private static Map<String, String> placed(Config c) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : c.resolve().entrySet()) {
      out.put(e.getKey(), e.getValue().unwrapped() + " @ " + ConfigProblem.placeOf(e.getValue().origin()));
    }
    return out;
  }

  private static void assertSameAsWhole(String text) {
    Config whole = ConfigFactory.parseString(text, OPTIONS.setOriginDescription("f.conf"));
    Config pieces = PiecewiseParser.parse(text, "f.conf", OPTIONS);
    assertThat(placed(pieces)).isEqualTo(placed(whole));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void manyFieldsOfEveryShapeMeanWhatTheWholeTextMeans(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder("# a generated scenario, seed " + seed + "\n");
    sb.append("base = 7\nlist = [1, 2]\n");
    for (int i = 0; i < 900; i++) {
      int k = random.nextInt(40);
      switch (random.nextInt(11)) {
        case 0 -> sb.append("a.b.k").append(k).append(" = ").append(i).append('\n');
        case 1 -> sb.append("a { b.k").append(k).append(" = \"s").append(i).append("\" }\n");
        case 2 -> sb.append("c.k").append(k).append(" = ${base}, d.k").append(k).append(" = ").append(i).append('\n');
        case 3 -> sb.append("list += ").append(i).append('\n');
        case 4 -> sb.append("e.k").append(k).append(" =\n  ").append(i).append("  # a value on the next line\n");
        case 5 -> sb.append("f").append(k).append("\n{ x = ").append(i).append(" }\n");
        case 6 -> sb.append("g.k").append(k).append(" = \"\"\"two\nlines ").append(i).append("\"\"\"\n");
        case 7 -> sb.append("base = ${base}\n");
        case 8 -> sb.append("h.k").append(k).append(" = [ { y = ").append(i).append(" },\n  { z = ${base} } ]\n");
        case 9 -> sb.append("// a comment\n\n");
        default -> sb.append("a.b.k").append(k).append(" = null\n");
      }
    }
    assertSameAsWhole(sb.toString());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13})
  void aLargeNestedObjectIsCutInsideItsKey(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder("{\n  costs {\n    syscall.local {\n");
    for (int i = 0; i < 3000; i++) {
      sb.append("      c").append(random.nextInt(500)).append(" = ").append(i).append("ns\n");
    }
    sb.append("    }\n    other.k = 1, other.j = 2\n  }\n  run.seed = 3\n}\n");
    assertSameAsWhole(sb.toString());
  }

  @ParameterizedTest(name = "{0} dotted keys")
  @ValueSource(ints = {63, 64, 65, 2000})
  void dottedKeysUnderOneObject(int keys) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keys; i++) {
      sb.append("costs.syscall.local.call").append(i).append(" = ").append(i).append("ns\n");
    }
    sb.append("costs.syscall.local.call0 = ${costs.syscall.local.call1}\n");
    assertSameAsWhole(sb.toString());
  }
}
