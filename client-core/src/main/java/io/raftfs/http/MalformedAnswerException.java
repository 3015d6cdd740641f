package io.raftfs.http;

import java.io.IOException;

/**
 * An answer this client refuses to read: it breaks HTTP/1.1 framing, or one of its parts is larger
 * than the client's cap for it. The message names what was wrong (and the cap). The connection it
 * came on is closed: where the next answer would start on it is unknown.
 */
public final class MalformedAnswerException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedAnswerException(String message) {
    super(message);
  }

  /** "{@code problem}: {@code text}", the text cut short: a hostile answer may send megabytes. */
  MalformedAnswerException(String problem, String text) {
    super(problem + ": " + (text.length() <= 80 ? text : text.substring(0, 80) + "..."));
  }
}
