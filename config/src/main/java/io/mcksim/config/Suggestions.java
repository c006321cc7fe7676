package io.mcksim.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * "Did you mean": the known words closest to a misspelt one, for every reader of the user's input (a
 * scenario's keys, a program's keys and op kinds, syscall names). Closeness is the edit distance between
 * the two words, in which a swap of two neighbouring letters counts as one edit, as a slip of the
 * fingers does.
 */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The first of {@code known}, in its iteration order, closest to {@code word} and at most
   * {@code reach} edits from it; null if none is that close.
   */
  public static String closest(String word, Iterable<String> known, int reach) {
    return closest(word, known, k -> reach);
  }

  /**
   * The first of {@code known}, in its iteration order, closest to {@code word} among those within their
   * own reach ({@code reach} of the known word: the most edits at which it is still suggested); null if
   * none is.
   */
  public static String closest(String word, Iterable<String> known, ToIntFunction<String> reach) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int limit = Math.min(bestDistance - 1, reach.applyAsInt(k));
      if (Math.abs(word.length() - k.length()) > limit) {
        continue; // the distance is at least the difference in length: not closer, or out of reach
      }
      int d = editDistance(word, k);
      if (d <= limit) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  /** {@code "; did you mean 'KNOWN'?"} for the {@link #closest} known word, or empty if none is close. */
  public static String didYouMean(String word, Iterable<String> known, int reach) {
    String best = closest(word, known, reach);
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /**
   * Up to {@code count} of {@code known} near {@code word}, closest first: by edit distance, then by the
   * length of the prefix they share with {@code word}, then alphabetically. A known word is near when it
   * is at most {@code reach} edits away, or when it contains {@code word} of 4 characters or more.
   */
  public static List<String> nearest(String word, Collection<String> known, int reach, int count) {
    record Candidate(String name, int distance, int prefix) {
    }
    List<Candidate> candidates = new ArrayList<>();
    for (String k : known) {
      boolean contains = word.length() >= 4 && k.contains(word);
      if (!contains && Math.abs(word.length() - k.length()) > reach) {
        continue; // the distance is at least the difference in length
      }
      int d = editDistance(word, k);
      if (d <= reach || contains) {
        candidates.add(new Candidate(k, d, commonPrefix(word, k)));
      }
    }
    candidates.sort(Comparator.comparingInt(Candidate::distance)
        .thenComparing(Comparator.comparingInt(Candidate::prefix).reversed())
        .thenComparing(Candidate::name));
    return candidates.stream().limit(count).map(Candidate::name).toList();
  }

  private static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  /**
   * Optimal-string-alignment distance: the fewest insertions, deletions, substitutions and swaps of
   * neighbouring characters that turn {@code a} into {@code b} (no substring edited twice). Memory is
   * linear in the length of {@code b} (the known word), however long {@code a} is.
   */
  public static int editDistance(String a, String b) {
    int[] beforePrev = new int[b.length() + 1];
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, beforePrev[j - 2] + 1);
        }
        cur[j] = v;
      }
      int[] t = beforePrev;
      beforePrev = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
