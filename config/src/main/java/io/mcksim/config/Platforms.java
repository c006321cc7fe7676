package io.mcksim.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The platforms a scenario may name with {@code platform = ...}: coherent sets of defaults for a real
 * machine (its CPUs and NUMA nodes, McKernel's partition, the Linux noise, the interconnect, the clock),
 * each a HOCON block in the resources {@code mcksim-platforms/NAME.conf}, layered between mcksim's
 * defaults and the scenario: the scenario's own keys, and {@code --set}, still win. Every value's source
 * is in docs/calibration.md. {@code none}, the default, layers nothing.
 */
public final class Platforms {

  private Platforms() {}

  /** The key that selects a platform. */
  static final String KEY = "platform";

  /** The word for no platform: mcksim's defaults alone. */
  public static final String NONE = "none";

  /** Every name a scenario may give, each with the platform it selects (its block's resource name). */
  private static final Map<String, String> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put("ofp", "ofp");
    NAMES.put("knl", "ofp");
    NAMES.put("fugaku", "fugaku");
    NAMES.put("a64fx", "fugaku");
  }

  /** The platforms, each with its aliases, for messages and docs: "ofp (alias knl), fugaku (alias a64fx)". */
  public static String known() {
    Map<String, List<String>> aliases = new TreeMap<>();
    NAMES.forEach((name, platform) -> aliases.computeIfAbsent(platform, p -> new java.util.ArrayList<>())
        .add(name));
    return NAMES.values().stream().distinct().map(p -> {
      List<String> other = aliases.get(p).stream().filter(a -> !a.equals(p)).toList();
      return other.isEmpty() ? p : p + " (alias " + String.join(", ", other) + ")";
    }).collect(Collectors.joining(", ")) + ", or " + NONE;
  }

  /** The platforms' own names (not their aliases), in order. */
  public static List<String> names() {
    return NAMES.values().stream().distinct().toList();
  }

  /**
   * The block of platform {@code name} (a platform's name or alias, any case), or null when there is no
   * such platform. {@code none} gives an empty block.
   */
  public static Config block(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    if (key.equals(NONE)) {
      return ConfigFactory.empty();
    }
    String platform = NAMES.get(key);
    if (platform == null) {
      return null;
    }
    String resource = "mcksim-platforms/" + platform + ".conf";
    try (InputStream in = Platforms.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the build lacks the resource " + resource);
      }
      // named "platform NAME" wherever a value's origin is shown (bin/mcksim config, problems)
      return ConfigFactory.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          ConfigParseOptions.defaults().setOriginDescription("platform " + platform));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the resource " + resource, e);
    }
  }

  /**
   * The block of the platform {@code user} selects (its {@code platform} key), to layer under it; an
   * empty one when it selects none. A value that is no platform's name is a problem naming the known
   * ones.
   */
  static Config selected(Config user, List<ConfigProblem> problems) {
    if (!user.hasPathOrNull(KEY)) {
      return ConfigFactory.empty();
    }
    ConfigValue v;
    try {
      v = user.getValue(KEY);
    } catch (ConfigException e) {
      problems.add(ConfigProblem.of(e));
      return ConfigFactory.empty();
    }
    String where = ConfigReader.where(v.origin());
    if (v.valueType() != ConfigValueType.STRING) {
      problems.add(new ConfigProblem(where, KEY, "expected a platform's name: " + known()));
      return ConfigFactory.empty();
    }
    String name = (String) v.unwrapped();
    Config block = block(name);
    if (block == null) {
      problems.add(new ConfigProblem(where, KEY, "unknown platform '" + name + "'; known: " + known()
          + Suggestions.didYouMean(name, NAMES.keySet(), 2)));
      return ConfigFactory.empty();
    }
    return block;
  }
}
