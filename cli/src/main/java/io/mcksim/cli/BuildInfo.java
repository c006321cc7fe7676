package io.mcksim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The build that is running: mcksim's version and the commit it was built from, as the build wrote them
 * into {@code build.properties} beside this class. {@code mcksim --version} prints them, and every report
 * names them, so a figure can be traced to the code that made it. A build made outside a git clone says
 * {@code unknown} for the commit.
 */
final class BuildInfo implements CommandLine.IVersionProvider {

  private static final Properties PROPS = load();

  /** mcksim's version, as the build's pom gives it, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    return PROPS.getProperty("git.build.version", "unknown");
  }

  /**
   * The commit the build was made from, abbreviated, with {@code +modified} when the work tree had
   * changes that were not committed; {@code unknown} outside a git clone.
   */
  static String commit() {
    String id = PROPS.getProperty("git.commit.id.abbrev", "");
    if (id.isBlank()) {
      return "unknown";
    }
    return "true".equals(PROPS.getProperty("git.dirty")) ? id + "+modified" : id;
  }

  /** The commit's time (UTC), or {@code unknown}. */
  static String commitTime() {
    String t = PROPS.getProperty("git.commit.time", "");
    return t.isBlank() ? "unknown" : t;
  }

  /** One line for logs and reports: {@code mcksim 0.1.0-SNAPSHOT (commit c693bc3)}. */
  static String line() {
    return "mcksim " + version() + " (commit " + commit() + ")";
  }

  @Override
  public String[] getVersion() {
    return new String[] {line(), "commit time " + commitTime(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the build's build.properties", e);
    }
    return p;
  }
}
