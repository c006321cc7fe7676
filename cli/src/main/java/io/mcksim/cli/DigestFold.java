package io.mcksim.cli;

/**
 * One digest of many runs: SHA-256 over their event-log digests in the order they come, one per line,
 * folded as they come (a megabyte of text at most: a million seeds' digests would be 65 MB), so the same
 * runs in the same order always give the same digest.
 */
final class DigestFold {

  private final StringBuilder text = new StringBuilder();

  /** The next run's digest. */
  void add(String digest) {
    text.append(digest).append('\n');
    if (text.length() > 1 << 20) {
      String folded = ShowcaseReport.sha256(text.toString());
      text.setLength(0);
      text.append(folded).append('\n');
    }
  }

  /** The digest of every run so far. */
  String digest() {
    return ShowcaseReport.sha256(text.toString());
  }
}
