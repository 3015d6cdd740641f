package io.raftfs.protocol;

/**
 * Text from the other end of a connection, made fit for one line of a terminal, a log or an error
 * answer: a control character (C0, DEL or C1) becomes {@code ?}, so none can move the cursor, clear
 * the screen or start a new line, and a long text is cut.
 *
 * <pre>{@code
 * err.println("raftfs: " + OneLine.of(serverMessage, OneLine.MAX_CHARS));
 * }</pre>
 */
public final class OneLine {
  /** Room for a path of some length and what went wrong with it. */
  public static final int MAX_CHARS = 400;

  private OneLine() {}

  /** {@code text} with control characters replaced and cut to {@code maxChars} (then "…"). */
  public static String of(String text, int maxChars) {
    int length = Math.min(text.length(), maxChars);
    StringBuilder line = new StringBuilder(length + 1);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      line.append(c < 0x20 || (c >= 0x7f && c < 0xa0) ? '?' : c);
    }
    if (text.length() > maxChars) {
      line.append('…');
    }
    return line.toString();
  }
}
