package io.mcksim.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A folder of results that is mcksim's own, written whole or not at all.
 *
 * <p>{@link #claim} runs before any work: it refuses a target that is not mcksim's to replace (a file,
 * a folder holding anything but an earlier output of the same kind, the current folder, the home
 * folder, a folder that contains the current folder), and proves the parent writable by creating the
 * temporary folder the results go into. {@link #commit} writes the files there, with the marker file
 * that lists them, and renames the folder into place; the earlier output is moved aside first and
 * removed last, so a run killed at any point leaves either the earlier output or the new one. Leftovers
 * of a killed run (temporary folders whose process is gone) are cleaned up by the next claim, an
 * earlier output caught aside is put back, and the files a killed run wrote as it went ({@link #streamed})
 * are kept, in a folder {@code NAME.interrupted-PID} beside the target.
 */
final class OutputFolder implements AutoCloseable {

  /** The marker file: its first line names mcksim and the kind of output, then one line per file. */
  static final String MARKER = ".mcksim-output";
  private static final String HEAD = "mcksim output folder: ";
  private static final String NEW = ".new-";
  private static final String OLD = ".old-";

  private final Path target;
  private final String kind;
  private final Path tmp;
  private final Path createdFrom;
  private final Map<String, Content> files = new LinkedHashMap<>();
  /** Files their writer puts into the folder itself, as a run goes (too large to hold). */
  private final java.util.Set<String> streamed = new java.util.LinkedHashSet<>();
  private boolean committed;

  private OutputFolder(Path target, String kind, Path tmp, Path createdFrom) {
    this.target = target;
    this.kind = kind;
    this.tmp = tmp;
    this.createdFrom = createdFrom;
  }

  /**
   * Claims {@code given} for an output of {@code kind} (for example {@code run} or {@code chaos campaign}),
   * or refuses it with an {@link IllegalArgumentException} (exit 2) that names the path and what to do.
   *
   * @param option the option the path came from, for the message ({@code --out})
   */
  static OutputFolder claim(String given, String option, String kind) {
    if (given == null || given.isBlank()) {
      throw refused(option, given == null ? "" : given, "an empty path names the current folder, which holds "
          + "other files", "give the name of a new folder, for example " + option + " mcksim-report");
    }
    Path target;
    try {
      target = Path.of(given).toAbsolutePath().normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw refused(option, given, "not a valid path (" + e.getReason() + ")", "give the name of a new folder");
    }
    Path cwd = Path.of("").toAbsolutePath().normalize();
    Path home = Path.of(System.getProperty("user.home", "/")).toAbsolutePath().normalize();
    if (target.getParent() == null) {
      throw refused(option, given, "the root of the file system", "give the name of a new folder");
    }
    if (cwd.startsWith(target)) {
      throw refused(option, given, target.equals(cwd) ? "the current folder" : "a folder that contains the "
          + "current folder", "give the name of a new folder inside it, for example " + option + " mcksim-report");
    }
    if (target.equals(home)) {
      throw refused(option, given, "your home folder", "give the name of a new folder inside it");
    }
    if (Files.isSymbolicLink(target)) {
      throw refused(option, given, "a symbolic link", "give the name of a new folder, or the folder itself");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw refused(option, given, "an existing file, which mcksim does not overwrite",
          "give the name of a new folder, or move the file away");
    }
    Path parent = target.getParent();
    String name = target.getFileName().toString();
    Path createdFrom = null;
    try {
      for (Path p = parent; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
        createdFrom = p;
      }
      Files.createDirectories(parent);
      recoverLeftovers(parent, name);
      checkReplaceable(target, kind, option, given);
      Path tmp = Files.createTempDirectory(parent, "." + name + NEW);
      // a claim that outlives its process is a leftover; the pid tells the next claim
      Files.writeString(tmp.resolve(MARKER), HEAD + kind + "\npid " + ProcessHandle.current().pid() + "\n",
          StandardCharsets.UTF_8);
      return new OutputFolder(target, kind, tmp, createdFrom);
    } catch (IOException e) {
      removeCreated(createdFrom, parent);
      throw refused(option, given, "cannot be written (" + describe(e) + ")",
          "give a folder in a place you can write to");
    } catch (RuntimeException e) {
      removeCreated(createdFrom, parent);
      throw e;
    }
  }

  /** The folder the results will be in. */
  Path target() {
    return target;
  }

  /** Adds one file (a name relative to the folder; sub-folders are created). */
  OutputFolder add(String name, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return add(name, out -> out.write(bytes));
  }

  /**
   * Adds one file whose content is written when the folder is committed, straight into the file (a
   * large table is never held whole in memory).
   */
  OutputFolder add(String name, Content content) {
    files.put(name, content);
    return this;
  }

  /** A file's content, written into its file when the folder is committed. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Where to write file {@code name} of the folder directly, as a run goes (a file too large to hold in
   * memory); it is part of the folder from then on, committed with the others.
   */
  Path streamed(String name) throws IOException {
    Path f = tmp.resolve(name).normalize();
    if (!f.startsWith(tmp) || f.equals(tmp) || name.equals(MARKER) || files.containsKey(name)) {
      throw new IOException("report file name " + name + " leaves its folder or is taken");
    }
    Files.createDirectories(f.getParent());
    if (streamed.add(name)) {
      // the marker names it at once: if the run is killed, the next claim keeps what it wrote as it went
      Files.writeString(tmp.resolve(MARKER), "streamed " + name + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    }
    return f;
  }

  /** The files written into the folder as the run went ({@link #streamed}), in the order they were opened. */
  List<String> streamedFiles() {
    return List.copyOf(streamed);
  }

  /** Writes every file, then renames the folder into place. */
  Path commit() throws IOException {
    if (committed) {
      throw new IllegalStateException("output folder " + target + " already written");
    }
    StringBuilder marker = new StringBuilder(HEAD).append(kind).append("\npid ")
        .append(ProcessHandle.current().pid()).append('\n');
    for (Map.Entry<String, Content> e : files.entrySet()) {
      Path f = tmp.resolve(e.getKey()).normalize();
      if (!f.startsWith(tmp) || f.equals(tmp) || e.getKey().equals(MARKER)) {
        throw new IOException("report file name " + e.getKey() + " leaves its folder");
      }
      Files.createDirectories(f.getParent());
      try (OutputStream out = Files.newOutputStream(f)) {
        e.getValue().writeTo(out);
      }
      marker.append("file ").append(e.getKey()).append('\n');
    }
    for (String name : streamed) {
      marker.append("file ").append(name).append('\n');
    }
    Files.writeString(tmp.resolve(MARKER), marker, StandardCharsets.UTF_8);
    BeforeCommit.pause(tmp);
    Path parent = target.getParent();
    String name = target.getFileName().toString();
    // the folder may have changed while the run computed: check it again
    checkReplaceable(target, kind, "--out", target.toString());
    Path old = null;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      old = parent.resolve("." + name + OLD + ProcessHandle.current().pid());
      deleteOwn(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    committed = true;
    if (old != null) {
      deleteOwn(old);
    }
    return target;
  }

  /** Removes the temporary folder of a run that did not commit, and the parent folders its claim created. */
  @Override
  public void close() {
    if (!committed) {
      try {
        deleteOwn(tmp);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      removeCreated(createdFrom, target.getParent());
    }
  }

  /** Removes the empty folders from {@code deepest} up to {@code top}, which a claim created. */
  private static void removeCreated(Path top, Path deepest) {
    if (top == null) {
      return;
    }
    for (Path p = deepest; p != null && p.startsWith(top); p = p.getParent()) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        return; // not empty, or not ours to remove: leave it
      }
    }
  }

  /**
   * Refuses a folder that is not an earlier output of the same kind: an empty folder or one that holds
   * exactly the files its marker lists may be replaced.
   */
  private static void checkReplaceable(Path target, String kind, String option, String given) throws IOException {
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Set<String> present = listing(target);
    if (present.isEmpty()) {
      return;
    }
    Optional<Marker> marker = Marker.read(target);
    if (marker.isEmpty()) {
      throw refused(option, given, "a folder that holds files mcksim did not write (" + sample(present) + ")",
          "give the name of a new folder; mcksim replaces only a folder it wrote itself");
    }
    if (!marker.get().kind().equals(kind)) {
      throw refused(option, given, "holds the output of another command (" + marker.get().kind() + ")",
          "give another folder, so that output is kept");
    }
    for (String f : marker.get().files()) {
      // a listed file, and the folders it is in
      for (String p = f; p != null; p = p.lastIndexOf('/') < 0 ? null : p.substring(0, p.lastIndexOf('/'))) {
        present.remove(p);
      }
    }
    present.remove(MARKER);
    if (!present.isEmpty()) {
      throw refused(option, given, "an earlier output of mcksim to which other files were added ("
          + sample(present) + ")", "move those files away, or give another folder");
    }
  }

  /**
   * Removes the temporary folders of runs that ended without committing (their process is gone), keeps
   * those that hold files their run wrote as it went, and puts back an earlier output that a killed run
   * had moved aside.
   */
  private static void recoverLeftovers(Path parent, String name) throws IOException {
    List<Path> leftovers = new ArrayList<>();
    try (DirectoryStream<Path> in = Files.newDirectoryStream(parent, "." + glob(name) + ".{new,old}-*")) {
      in.forEach(leftovers::add);
    }
    for (Path p : leftovers) {
      Optional<Marker> m = Marker.read(p);
      String file = p.getFileName().toString();
      boolean aside = file.startsWith("." + name + OLD);
      // the run that made it: a folder moved aside is named after the run that moved it
      Optional<Long> pid = m.isEmpty() ? Optional.empty() : aside ? parsePid(file.substring(name.length() + 1 + OLD.length()))
          : m.get().pid();
      if (m.isEmpty() || pid.map(n -> ProcessHandle.of(n).isPresent()).orElse(false)) {
        continue; // not ours, or a run still under way
      }
      Path target = parent.resolve(name);
      if (aside && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
      } else if (!aside && !m.get().streamed().isEmpty()) {
        keepInterrupted(p, parent, name, pid.orElse(0L), m.get().streamed());
      } else {
        deleteOwn(p);
      }
    }
  }

  /**
   * A killed run's folder that holds files it wrote as it went (raw samples, a fuzz campaign's findings):
   * they are not deleted but kept, under a name of their own beside the target, and the user is told.
   */
  private static void keepInterrupted(Path leftover, Path parent, String name, long pid, Set<String> streamed)
      throws IOException {
    Path kept = parent.resolve(name + ".interrupted-" + pid);
    for (int n = 2; Files.exists(kept, LinkOption.NOFOLLOW_LINKS); n++) {
      kept = parent.resolve(name + ".interrupted-" + pid + "-" + n);
    }
    Files.move(leftover, kept, StandardCopyOption.ATOMIC_MOVE);
    System.err.println("mcksim: an earlier run into " + parent.resolve(name) + " (process " + pid + ") ended "
        + "before its report was written; what it wrote as it went (" + sample(streamed) + ") is kept in "
        + kept);
  }

  private static Optional<Long> parsePid(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Deletes a folder that mcksim wrote: its listed files, its marker, and the folders they are in. */
  private static void deleteOwn(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // a folder of ours holds only what we wrote into it; walk it without following links
    List<Path> all = new ArrayList<>();
    try (var walk = Files.walk(dir)) {
      walk.forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(all.get(i));
    }
  }

  /** Every file and folder under {@code dir}, by relative path: an empty sub-folder counts too. */
  private static Set<String> listing(Path dir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (var walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir)).forEach(p -> names.add(dir.relativize(p).toString().replace('\\', '/')));
    }
    return names;
  }

  private static String sample(Set<String> names) {
    List<String> first = names.stream().limit(3).toList();
    return String.join(", ", first) + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
  }

  private static String glob(String name) {
    return name.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    String what = e.getClass().getSimpleName().replace("Exception", "");
    return what.isEmpty() ? String.valueOf(m) : what + (m == null ? "" : ": " + m);
  }

  private static IllegalArgumentException refused(String option, String given, String why, String fix) {
    return new IllegalArgumentException(option + " '" + given + "': " + why + "; nothing was run or written. "
        + Character.toUpperCase(fix.charAt(0)) + fix.substring(1));
  }

  /** What a marker file says. */
  private record Marker(String kind, Set<String> files, Optional<Long> pid, Set<String> streamed) {

    static Optional<Marker> read(Path dir) throws IOException {
      Path m = dir.resolve(MARKER);
      if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS) || Files.size(m) > 1 << 20) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(m, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).startsWith(HEAD)) {
        return Optional.empty();
      }
      Set<String> files = new TreeSet<>();
      Set<String> streamed = new TreeSet<>();
      Long pid = null;
      for (String line : lines.subList(1, lines.size())) {
        if (line.startsWith("file ")) {
          files.add(line.substring(5));
        } else if (line.startsWith("streamed ")) {
          streamed.add(line.substring(9));
        } else if (line.startsWith("pid ")) {
          try {
            pid = Long.parseLong(line.substring(4).trim());
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        }
      }
      return Optional.of(new Marker(lines.get(0).substring(HEAD.length()), files, Optional.ofNullable(pid),
          streamed));
    }
  }

  /**
   * A test hook: with the system property {@code mcksim.test.pause-before-commit} set, the process prints
   * a line on standard error and waits for its standard input to close before it renames the written folder into place,
   * so that a test can kill it while it writes.
   */
  static final class BeforeCommit {
    private BeforeCommit() {
    }

    static void pause(Path tmp) throws IOException {
      if (System.getProperty("mcksim.test.pause-before-commit") == null) {
        return;
      }
      System.err.println("mcksim: written, not yet committed: " + tmp);
      System.err.flush();
      while (System.in.read() >= 0) {
        // wait for the test to kill us, or to close our input
      }
    }
  }
}
