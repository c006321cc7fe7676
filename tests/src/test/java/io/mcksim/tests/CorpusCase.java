package io.mcksim.tests;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of the bad-input corpus (format: {@code tests/src/test/resources/bad-input/README.md}): the
 * command line, the expected exit code and message fragments, and the files to write before it runs.
 *
 * @param name     the case file's path under the corpus folder, e.g. {@code scenario/deep-nesting.case}
 * @param args     the command line's words, placeholders not yet filled
 * @param exit     the expected exit code
 * @param expect   fragments the output must contain
 * @param absent   fragments the output must not contain
 * @param files    the files to write, by name relative to the case's folder ({@code stdin} included)
 */
record CorpusCase(String name, List<String> args, int exit, List<String> expect, List<String> absent,
    Map<String, List<String>> files) {

  /** The file name whose content is fed to standard input instead of being written. */
  static final String STDIN = "stdin";

  /** The longest content one file may generate (a guard against a typo like {@code @@repeat 1e12}). */
  static final long MAX_GENERATED_BYTES = 1L << 30;

  /** A case file that does not follow the format; the message says where and how. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  /** Reads a case file. */
  static CorpusCase parse(String name, String text) throws Malformed {
    List<String> lines = text.lines().toList();
    List<String> args = null;
    Integer exit = null;
    List<String> expect = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    int i = 0;
    for (; i < lines.size() && !lines.get(i).startsWith("--- "); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String key = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).strip();
      String where = "line " + (i + 1) + ": ";
      switch (key) {
        case "args" -> {
          if (args != null) {
            throw new Malformed(where + "a second 'args:' line (one command line per case)");
          }
          args = words(value, where);
        }
        case "exit" -> {
          if (exit != null) {
            throw new Malformed(where + "a second 'exit:' line");
          }
          exit = exitCode(value, where);
        }
        case "expect" -> expect.add(fragment(value, where));
        case "absent" -> absent.add(fragment(value, where));
        default -> throw new Malformed(where + "expected '# comment', 'args:', 'exit:', 'expect:', 'absent:' or "
            + "'--- FILE', not: " + line);
      }
    }
    if (args == null) {
      throw new Malformed("no 'args:' line");
    }
    if (exit == null) {
      throw new Malformed("no 'exit:' line");
    }
    return new CorpusCase(name, args, exit, expect, absent, files(lines, i));
  }

  /** The files from line {@code from} on: each {@code --- NAME} line and the lines up to the next. */
  private static Map<String, List<String>> files(List<String> lines, int from) throws Malformed {
    Map<String, List<String>> files = new LinkedHashMap<>();
    List<String> current = null;
    for (int i = from; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("--- ")) {
        String file = fileName(line.substring(4).strip(), "line " + (i + 1) + ": ");
        if (files.containsKey(file)) {
          throw new Malformed("line " + (i + 1) + ": a second file named " + file);
        }
        current = new ArrayList<>();
        files.put(file, current);
      } else {
        if (line.startsWith("@@")) {
          Directive.parse(line, "line " + (i + 1) + ": ");
        }
        current.add(line);
      }
    }
    return files;
  }

  private static String fileName(String file, String where) throws Malformed {
    Path p = Path.of(file).normalize();
    if (file.isEmpty() || p.isAbsolute() || p.startsWith("..") || file.contains("\\")) {
      throw new Malformed(where + "a file name must be a relative path inside the case's folder: '" + file + "'");
    }
    return p.toString();
  }

  private static int exitCode(String value, String where) throws Malformed {
    try {
      int code = Integer.parseInt(value);
      if (code >= 0 && code <= 255) {
        return code;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Malformed(where + "'exit:' takes an exit code 0..255, not '" + value + "'");
  }

  private static String fragment(String value, String where) throws Malformed {
    if (value.isEmpty()) {
      throw new Malformed(where + "an empty fragment matches everything; write the text to look for");
    }
    return value;
  }

  /** The words of a command line: split on spaces; {@code 'single quotes'} keep spaces ('' is an empty word). */
  static List<String> words(String line, String where) throws Malformed {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
        inWord = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quoted) {
      throw new Malformed(where + "a single quote is not closed in: " + line);
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new Malformed(where + "'args:' is empty");
    }
    return words;
  }

  /** This case's text with the placeholders {@code {dir}}, {@code {out}} and {@code {home}} filled. */
  static String fill(String text, Path dir, Path home) {
    return text.replace("{dir}", dir.toString()).replace("{out}", dir.resolve("out").toString())
        .replace("{home}", home.toString());
  }

  /** This case with the placeholders filled in its command line and fragments (files: see {@link #write}). */
  CorpusCase filled(Path dir, Path home) {
    return new CorpusCase(name, args.stream().map(a -> fill(a, dir, home)).toList(), exit,
        expect.stream().map(f -> fill(f, dir, home)).toList(), absent.stream().map(f -> fill(f, dir, home)).toList(),
        files);
  }

  /** Writes one file's content, generated lines expanded and placeholders filled, streaming. */
  static void write(List<String> content, Path file, Path dir, Path home) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    boolean finalNewline = !content.contains(Directive.NO_FINAL_NEWLINE);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      boolean first = true;
      for (String line : content) {
        if (line.equals(Directive.NO_FINAL_NEWLINE)) {
          continue;
        }
        if (!first) {
          w.write('\n');
        }
        first = false;
        if (line.startsWith("@@")) {
          Directive.of(line).expand(w, dir, home);
        } else {
          w.write(fill(line, dir, home));
        }
      }
      if (!first && finalNewline) {
        w.write('\n');
      }
    }
  }

  /** A generated-content line: {@code @@repeat N TEXT}, {@code @@concat N TEXT} or {@code @@no-final-newline}. */
  private record Directive(String kind, long count, String text) {

    static final String NO_FINAL_NEWLINE = "@@no-final-newline";

    static Directive of(String line) {
      try {
        return parse(line, "");
      } catch (Malformed e) {
        throw new IllegalStateException(e);  // parse() checked every directive when the case was read
      }
    }

    static Directive parse(String line, String where) throws Malformed {
      if (line.equals(NO_FINAL_NEWLINE)) {
        return new Directive(NO_FINAL_NEWLINE, 0, "");
      }
      String[] parts = line.split(" ", 3);
      String kind = parts[0];
      if (!kind.equals("@@repeat") && !kind.equals("@@concat")) {
        throw new Malformed(where + "unknown directive " + kind
            + " (known: @@repeat N TEXT, @@concat N TEXT, " + NO_FINAL_NEWLINE + ")");
      }
      long count;
      try {
        count = parts.length < 2 ? -1 : Long.parseLong(parts[1]);
      } catch (NumberFormatException e) {
        count = -1;
      }
      if (count < 0) {
        throw new Malformed(where + kind + " takes a count 0.. then the text, e.g. " + kind + " 1000 x = {i}");
      }
      String text = parts.length < 3 ? "" : parts[2];
      long bytes = count * (text.length() + 8L);
      if (count > MAX_GENERATED_BYTES || bytes > MAX_GENERATED_BYTES) {
        throw new Malformed(where + kind + " " + count + " would write more than " + MAX_GENERATED_BYTES
            + " bytes");
      }
      return new Directive(kind, count, text);
    }

    /** Writes the generated text (no line break after the last line: the caller adds it). */
    void expand(Writer w, Path dir, Path home) throws IOException {
      String filled = fill(text, dir, home);
      boolean numbered = kind.equals("@@repeat") && filled.contains("{i}");
      for (long i = 0; i < count; i++) {
        if (i > 0 && kind.equals("@@repeat")) {
          w.write('\n');
        }
        w.write(numbered ? filled.replace("{i}", Long.toString(i)) : filled);
      }
    }
  }
}
