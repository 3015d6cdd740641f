package io.raftfs.client.meta;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

/** The reason in a master's error answer, {@code {"error": "..."}}, fit to print on one line. */
final class ErrorAnswers {
  private static final int MAX_REASON_CHARS = 300;

  private ErrorAnswers() {}

  static String reason(String body) {
    String reason;
    try {
      Struct.Builder answer = Struct.newBuilder();
      JsonFormat.parser().merge(body, answer);
      Value error = answer.getFieldsMap().get("error");
      reason = error == null ? "no reason given" : error.getStringValue();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      reason = "unreadable reason";
    }
    String printable = reason.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > MAX_REASON_CHARS
        ? printable.substring(0, MAX_REASON_CHARS) + "..."
        : printable;
  }
}
