package io.raftfs.http;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the head of an answer (status line, header fields) and the trailer fields after a chunked
 * body, trusting none of it: each line, the number of fields and their bytes in all have a cap;
 * field names must be tokens; a repeated field is an error, because the masters and data nodes
 * never repeat one and a reader that quietly keeps one copy of a framing field is how answers get
 * smuggled. {@link HttpConnection#readLine} has already refused control characters and bare CR or
 * LF.
 */
final class AnswerHead {
  static final int MAX_STATUS_LINE_BYTES = 1 << 10;
  static final int MAX_FIELD_LINE_BYTES = 8 << 10;
  static final int MAX_FIELDS = 100;

  /** All field lines of one head or trailer together: 100 lines of 8 KiB would be 800 KiB. */
  static final int MAX_FIELD_BYTES = 64 << 10;

  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private AnswerHead() {}

  /** The status code of a status line such as {@code HTTP/1.1 201 Created}: 100 to 599. */
  static int readStatus(HttpConnection connection) throws IOException {
    String line = connection.readLine(MAX_STATUS_LINE_BYTES, "status");
    if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
      throw new MalformedAnswerException("not an HTTP/1.x answer", line);
    }
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char digit = line.charAt(i);
      if (digit < '0' || digit > '9') {
        throw new MalformedAnswerException("bad HTTP status line", line);
      }
      status = status * 10 + digit - '0';
    }
    if (status < 100 || status > 599 || (line.length() > 12 && line.charAt(12) != ' ')) {
      throw new MalformedAnswerException("bad HTTP status line", line);
    }
    return status;
  }

  /**
   * Fields up to the empty line that ends them, by lower-case name; {@code kind} ("header" or
   * "trailer") names them in errors.
   */
  static Map<String, String> readFields(HttpConnection connection, String kind) throws IOException {
    Map<String, String> fields = new HashMap<>();
    int bytes = 0;
    for (String line; !(line = connection.readLine(MAX_FIELD_LINE_BYTES, kind)).isEmpty(); ) {
      if (fields.size() == MAX_FIELDS) {
        throw new MalformedAnswerException("more than " + MAX_FIELDS + " " + kind + "s");
      }
      bytes += line.length() + 2;
      if (bytes > MAX_FIELD_BYTES) {
        throw new MalformedAnswerException(
            kind + "s longer than " + MAX_FIELD_BYTES + " bytes in all");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line, colon)) {
        throw new MalformedAnswerException("bad " + kind + " line", line);
      }
      String name = line.substring(0, colon);
      String value = line.substring(colon + 1).strip(); // only SP and HTAB are left to strip
      if (fields.putIfAbsent(name.toLowerCase(Locale.ROOT), value) != null) {
        throw new MalformedAnswerException("repeated " + kind, name);
      }
    }
    return fields;
  }

  private static boolean isToken(String text, int end) {
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      boolean alphanumeric =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}
