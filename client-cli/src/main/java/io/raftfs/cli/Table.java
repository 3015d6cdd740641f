package io.raftfs.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of text in aligned columns; columns named in {@code rightAligned} hold numbers. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] right;

  /** A table whose first row is {@code header}, or without a header when it is null. */
  Table(String[] header, boolean... rightAligned) {
    this.right = rightAligned;
    if (header != null) {
      rows.add(header);
    }
  }

  Table add(Object... cells) {
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = String.valueOf(cells[i]);
    }
    rows.add(row);
    return this;
  }

  void print(PrintWriter out) {
    int columns = rows.stream().mapToInt(row -> row.length).max().orElse(0);
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean last = i == row.length - 1;
        String pad = " ".repeat(widths[i] - row[i].length());
        boolean alignRight = i < right.length && right[i];
        line.append(alignRight ? pad + row[i] : last ? row[i] : row[i] + pad);
        if (!last) {
          line.append("  ");
        }
      }
      out.println(line);
    }
  }
}
