package io.mcksim.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A report folder that appears complete or not at all: files are written into a temporary folder
 * beside the target, which then takes the target's place. A run that fails before {@link #commit}
 * leaves any earlier report as it was.
 */
final class ReportFolder {

  private final Path target;
  private final Map<String, String> files = new LinkedHashMap<>();

  ReportFolder(Path target) {
    this.target = target.toAbsolutePath().normalize();
  }

  void add(String name, String content) {
    files.put(name, content);
  }

  /** Writes everything, then swaps the new folder in. */
  Path commit() throws IOException {
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".new-");
    try {
      for (Map.Entry<String, String> e : files.entrySet()) {
        Files.writeString(tmp.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
      Path old = null;
      if (Files.exists(target)) {
        old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
        Files.delete(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) {
        deleteTree(old);
      }
      return target;
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
