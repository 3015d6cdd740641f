package io.raftfs.cli;

import java.util.function.IntBinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chmod mode: octal ({@code 755}, {@code 1777}) or symbolic clauses as in POSIX chmod ({@code
 * u+x,go-w}, {@code a=rX}, {@code +t}), applied to an entry's current mode. Also prints modes the
 * way {@code ls -l} does.
 */
final class FileMode {
  private static final int STICKY = 01000;
  private static final Pattern OCTAL = Pattern.compile("[0-7]{1,4}");
  private static final Pattern CLAUSE = Pattern.compile("([ugoa]*)([-+=])([rwxXt]*)");

  private final Integer octal;
  private final String symbolic;

  private FileMode(Integer octal, String symbolic) {
    this.octal = octal;
    this.symbolic = symbolic;
  }

  /**
   * @throws UsageException for anything but an octal mode up to 1777 or symbolic clauses
   */
  static FileMode parse(String text) {
    if (OCTAL.matcher(text).matches()) {
      int mode = Integer.parseInt(text, 8);
      if (mode > 01777) {
        throw new UsageException(text + ": setuid and setgid bits are not supported (up to 1777)");
      }
      return new FileMode(mode, null);
    }
    for (String clause : text.split(",", -1)) {
      if (!CLAUSE.matcher(clause).matches()) {
        throw new UsageException(
            text + ": not a mode (octal such as 755, or symbolic such as u+x,go-w)");
      }
    }
    return new FileMode(null, text);
  }

  /** The mode an entry with {@code current} gets. */
  int applyTo(int current, boolean directory) {
    if (octal != null) {
      return octal;
    }
    int mode = current;
    for (String clause : symbolic.split(",")) {
      Matcher m = CLAUSE.matcher(clause);
      m.matches();
      int who = who(m.group(1));
      int bits = bits(m.group(3), mode, directory);
      int affected = (bits & 0777 & who) | (bits & STICKY);
      IntBinaryOperator op =
          switch (m.group(2)) {
            case "+" -> (old, b) -> old | b;
            case "-" -> (old, b) -> old & ~b;
            default -> (old, b) -> (old & ~(who | (m.group(3).contains("t") ? STICKY : 0))) | b;
          };
      mode = op.applyAsInt(mode, affected);
    }
    return mode;
  }

  /** The mask of the classes named; none is all of them (umask aside: the masters have none). */
  private static int who(String classes) {
    if (classes.isEmpty() || classes.contains("a")) {
      return 0777;
    }
    int mask = 0;
    if (classes.contains("u")) {
      mask |= 0700;
    }
    if (classes.contains("g")) {
      mask |= 0070;
    }
    if (classes.contains("o")) {
      mask |= 0007;
    }
    return mask;
  }

  /** The bits named, in every class (who() picks the classes); X is x for directories or any x. */
  private static int bits(String perms, int current, boolean directory) {
    int bits = 0;
    for (char c : perms.toCharArray()) {
      bits |=
          switch (c) {
            case 'r' -> 0444;
            case 'w' -> 0222;
            case 'x' -> 0111;
            case 'X' -> directory || (current & 0111) != 0 ? 0111 : 0;
            default -> STICKY;
          };
    }
    return bits;
  }

  /** As {@code ls -l}: {@code drwxr-xr-x}, {@code t} or {@code T} for the sticky bit. */
  static String format(int mode, boolean directory) {
    StringBuilder text = new StringBuilder(directory ? "d" : "-");
    String letters = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      text.append((mode & (0400 >> i)) != 0 ? letters.charAt(i) : '-');
    }
    if ((mode & STICKY) != 0) {
      text.setCharAt(9, (mode & 1) != 0 ? 't' : 'T');
    }
    return text.toString();
  }
}
