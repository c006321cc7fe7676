package io.mcksim.cli;

import java.util.List;

/** A plain-text table for the terminal: columns as wide as their widest cell, text left, figures right. */
final class Table {

  private Table() {}

  /**
   * @param head        the column names
   * @param rows        the cells, row by row, as many as {@code head} has
   * @param leftColumns how many columns from the left hold text (aligned left); the rest are figures
   */
  static String render(String[] head, List<String[]> rows, int leftColumns) {
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
      for (String[] r : rows) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    row(sb, head, w, leftColumns);
    for (String[] r : rows) {
      row(sb, r, w, leftColumns);
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String[] cells, int[] w, int leftColumns) {
    sb.append(' ');
    for (int i = 0; i < cells.length; i++) {
      String pad = " ".repeat(w[i] - cells[i].length());
      sb.append(' ').append(i < leftColumns ? cells[i] + pad : pad + cells[i]).append(' ');
    }
    sb.append('\n');
  }
}
