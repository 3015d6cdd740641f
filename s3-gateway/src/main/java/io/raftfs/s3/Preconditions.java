package io.raftfs.s3;

import io.raftfs.proto.FileStatus;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The conditional headers of a GET or HEAD, and of writes ({@link #checkWrite}) (RFC 9110, as S3
 * applies them): {@code If-Match} and {@code If-Unmodified-Since} fail with 412 {@code
 * PreconditionFailed}; {@code If-None-Match} and {@code If-Modified-Since} answer 304 Not Modified.
 * Times compare in whole seconds, as HTTP dates carry no more; an unparseable date is ignored, as
 * HTTP says.
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

  /**
   * The conditions of a write (PUT, DELETE; S3's conditional writes) against the key's current
   * object, null if there is none: {@code If-Match} needs one whose ETag matches (404 {@code
   * NoSuchKey} without one, 412 otherwise), {@code If-None-Match} one that does not match ({@code
   * *} matches any). Checked before the body is read; only {@code If-None-Match: *} is also held at
   * the commit (the put refuses an existing file), the others are not atomic with it.
   *
   * @param missingIsDeleted a DELETE: a missing key passes, as S3 deletes it idempotently
   */
  static void checkWrite(S3Request request, FileStatus current, boolean missingIsDeleted) {
    String ifMatch = request.header("If-Match");
    if (ifMatch != null && current == null && !missingIsDeleted) {
      throw S3Exception.noSuchKey(request.key);
    }
    if (ifMatch != null && current != null && !matches(ifMatch, ObjectMetadata.etag(current))) {
      throw failed("If-Match");
    }
    String ifNoneMatch = request.header("If-None-Match");
    if (ifNoneMatch != null
        && current != null
        && matches(ifNoneMatch, ObjectMetadata.etag(current))) {
      throw failed("If-None-Match");
    }
  }

  /** True for {@code If-None-Match: *}: the write may only create the key. */
  static boolean createOnly(S3Request request) {
    String ifNoneMatch = request.header("If-None-Match");
    return ifNoneMatch != null && ifNoneMatch.strip().equals("*");
  }

  static boolean matches(String header, String etag) {
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

  /** An HTTP date (or ISO instant) in epoch seconds; null if absent or unparseable. */
  static Long seconds(String date) {
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

  static S3Exception failed(String header) {
    return new S3Exception(
        412,
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold: " + header);
  }
}
