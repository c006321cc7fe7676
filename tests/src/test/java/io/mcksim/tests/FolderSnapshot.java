package io.mcksim.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * What a folder tree holds, to tell whether anything in it changed: every file's size, modification
 * time and checksum, every folder and every link (links are not followed). Folders are compared by
 * existence only (writing a file and removing it again changes a folder's time, not its content).
 */
final class FolderSnapshot {

  private final Path root;
  private final Map<Path, String> entries;

  private FolderSnapshot(Path root, Map<Path, String> entries) {
    this.root = root;
    this.entries = entries;
  }

  /** Everything under {@code root} (nothing if it does not exist), except the tree at {@code skip}. */
  static FolderSnapshot of(Path root, Path skip) throws IOException {
    Map<Path, String> entries = new TreeMap<>();
    if (Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (dir.equals(skip)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          entries.put(root.relativize(dir), "folder");
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (!file.equals(skip)) {
            entries.put(root.relativize(file), describe(file, attrs));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          entries.put(root.relativize(file), "unreadable: " + e.getMessage());
          return FileVisitResult.CONTINUE;
        }
      });
    }
    return new FolderSnapshot(root, entries);
  }

  private static String describe(Path file, BasicFileAttributes attrs) throws IOException {
    if (attrs.isSymbolicLink()) {
      return "link to " + Files.readSymbolicLink(file);
    }
    if (!attrs.isRegularFile()) {
      return "special file";
    }
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        crc.update(buffer, 0, n);
      }
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
    return "file of " + attrs.size() + " bytes, modified " + attrs.lastModifiedTime() + ", crc "
        + Long.toHexString(crc.getValue());
  }

  /** The paths that appeared, disappeared or changed since {@code before}, at most {@code limit}. */
  List<String> changesSince(FolderSnapshot before, int limit) {
    List<String> changes = new ArrayList<>();
    for (Map.Entry<Path, String> e : before.entries.entrySet()) {
      String now = entries.get(e.getKey());
      if (now == null) {
        changes.add("removed " + root.resolve(e.getKey()));
      } else if (!now.equals(e.getValue())) {
        changes.add("changed " + root.resolve(e.getKey()) + " (" + e.getValue() + " -> " + now + ")");
      }
    }
    for (Path p : entries.keySet()) {
      if (!before.entries.containsKey(p)) {
        changes.add("created " + root.resolve(p));
      }
    }
    return changes.size() <= limit ? changes : changes.subList(0, limit);
  }
}
