package io.mcksim.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: columns as wide as their widest cell, text left, figures right.
 * Given a width, a wider table wraps its widest cells at spaces, over several lines of their row, until
 * it fits or no column can be narrowed further: text cells down to their longest word, column names down
 * to theirs; a figure is never broken. A column that holds anything but figures is text, aligned left.
 */
final class Table {

  /** The width a table keeps within when its text cells allow it. */
  static final int WIDTH = 100;

  private Table() {}

  /**
   * @param head        the column names
   * @param rows        the cells, row by row, as many as {@code head} has
   * @param leftColumns how many columns from the left hold text (aligned left); the rest are figures
   */
  static String render(String[] head, List<String[]> rows, int leftColumns) {
    return render(head, rows, leftColumns, Integer.MAX_VALUE);
  }

  /**
   * The same, with every column whose cells are not all figures counted as text that may wrap, kept
   * within {@code width} columns where the words allow it.
   */
  static String render(String[] head, List<String[]> rows, int leftColumns, int width) {
    int[] w = new int[head.length];
    int[] floor = new int[head.length];
    boolean[] left = new boolean[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
      floor[i] = longestWord(head[i]);
      left[i] = i < leftColumns || !figures(rows, i);
      for (String[] r : rows) {
        w[i] = Math.max(w[i], r[i].length());
        floor[i] = Math.max(floor[i], left[i] ? longestWord(r[i]) : r[i].length());
      }
    }
    while (total(w) > width) {
      int widest = -1;
      for (int i = 0; i < w.length; i++) {
        if (w[i] > floor[i] && (widest < 0 || w[i] > w[widest])) {
          widest = i;
        }
      }
      if (widest < 0) {
        break;
      }
      w[widest]--;
    }
    StringBuilder sb = new StringBuilder();
    row(sb, head, w, left);
    for (String[] r : rows) {
      row(sb, r, w, left);
    }
    return sb.toString();
  }

  private static int total(int[] w) {
    int t = 1;
    for (int x : w) {
      t += x + 2;
    }
    return t;
  }

  private static boolean figures(List<String[]> rows, int column) {
    for (String[] r : rows) {
      if (!r[column].isEmpty() && !r[column].matches("[-+0-9.,%x]+( ?[a-zµ%]+)?")) {
        return false;
      }
    }
    return true;
  }

  private static int longestWord(String s) {
    int longest = 0;
    for (String word : s.split(" ")) {
      longest = Math.max(longest, word.length());
    }
    return longest;
  }

  /** A cell's lines within {@code width}, broken at spaces. */
  static List<String> lines(String cell, int width) {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : cell.split(" ", -1)) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    out.add(line.toString());
    return out;
  }

  private static void row(StringBuilder sb, String[] cells, int[] w, boolean[] left) {
    List<List<String>> split = new ArrayList<>();
    int height = 1;
    for (int i = 0; i < cells.length; i++) {
      List<String> l = cells[i].length() <= w[i] ? List.of(cells[i]) : lines(cells[i], w[i]);
      split.add(l);
      height = Math.max(height, l.size());
    }
    for (int k = 0; k < height; k++) {
      sb.append(' ');
      for (int i = 0; i < cells.length; i++) {
        String text = k < split.get(i).size() ? split.get(i).get(k) : "";
        String pad = " ".repeat(Math.max(0, w[i] - text.length()));
        sb.append(' ').append(left[i] ? text + pad : pad + text).append(' ');
      }
      sb.append('\n');
    }
  }
}
