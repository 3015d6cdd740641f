package io.raftfs.s3;

import io.raftfs.proto.FileStatus;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The conditional headers of a GET or HEAD (RFC 9110, as S3 applies them): {@code If-Match} and
 * {@code If-Unmodified-Since} fail with 412 {@code PreconditionFailed}; {@code If-None-Match} and
 * {@code If-Modified-Since} answer 304 Not Modified. Times compare in whole seconds, as HTTP dates
 * carry no more; an unparseable date is ignored, as HTTP says.
 */
final class Preconditions {
  private Preconditions() {}

  /**
   * True if the object should be answered 304 Not Modified.
   *
   * @throws S3Exception 412 when a precondition fails
   */
  static boolean notModified(S3Request request, FileStatus file) {
    String etag = ObjectMetadata.etag(file);
    long seconds = file.getMtimeMillis() / 1000;
    String ifMatch = request.header("If-Match");
    if (ifMatch != null) {
      if (!matches(ifMatch, etag)) {
        throw failed("If-Match");
      }
    } else {
      Long since = seconds(request.header("If-Unmodified-Since"));
      if (since != null && seconds > since) {
        throw failed("If-Unmodified-Since");
      }
    }
    String ifNoneMatch = request.header("If-None-Match");
    if (ifNoneMatch != null) {
      return matches(ifNoneMatch, etag);
    }
    Long since = seconds(request.header("If-Modified-Since"));
    return since != null && seconds <= since;
  }

  private static boolean matches(String header, String etag) {
    for (String candidate : header.split(",")) {
      String tag = candidate.strip();
      if (tag.equals("*")) {
        return true;
      }
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (etag != null && unquote(tag).equals(unquote(etag))) {
        return true;
      }
    }
    return false;
  }

  private static String unquote(String tag) {
    return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")
        ? tag.substring(1, tag.length() - 1)
        : tag;
  }

  private static Long seconds(String date) {
    if (date == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant()
          .getEpochSecond();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(date.strip()).getEpochSecond();
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
  }

  private static S3Exception failed(String header) {
    return new S3Exception(
        412,
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold: " + header);
  }
}
