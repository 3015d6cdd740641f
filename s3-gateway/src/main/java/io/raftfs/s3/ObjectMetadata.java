package io.raftfs.s3;

import io.raftfs.proto.FileStatus;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An object's S3 metadata, stored as the file's attributes ({@code CommitFileRequest.attributes})
 * so it lives, is replicated and snapshotted with the file: the ETag, {@code Content-Type}, the
 * standard content headers and the user's {@code x-amz-meta-*}, under names prefixed {@code s3.}.
 */
final class ObjectMetadata {
  /** S3's own limit on user metadata (names and values). */
  static final int MAX_USER_METADATA_BYTES = 2048;

  private static final String PREFIX = "s3.";
  private static final String ETAG = PREFIX + "etag";
  private static final String USER = "x-amz-meta-";
  private static final String[] STANDARD = {
    "content-type",
    "content-encoding",
    "content-disposition",
    "content-language",
    "cache-control",
    "expires"
  };

  private ObjectMetadata() {}

  /**
   * The attributes a PUT stores, the ETag aside.
   *
   * @throws S3Exception 400 {@code MetadataTooLarge} past S3's 2 KB of user metadata
   */
  static Map<String, String> of(S3Request request) {
    Map<String, String> attributes = new HashMap<>();
    for (String name : STANDARD) {
      String value = request.header(name);
      if (value != null && name.equals("content-encoding")) {
        value = withoutAwsChunked(value);
      }
      if (value != null) {
        attributes.put(PREFIX + name, value);
      }
    }
    int userBytes = 0;
    for (Map.Entry<String, String> header : request.http.headers()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(USER)) {
        userBytes +=
            (name.length() - USER.length())
                + header.getValue().getBytes(StandardCharsets.UTF_8).length;
        attributes.merge(PREFIX + name, header.getValue(), (a, b) -> a + "," + b);
      }
    }
    if (userBytes > MAX_USER_METADATA_BYTES) {
      throw new S3Exception(
          400,
          "MetadataTooLarge",
          "user metadata is " + userBytes + " bytes, more than " + MAX_USER_METADATA_BYTES);
    }
    return attributes;
  }

  /**
   * A Content-Encoding without {@code aws-chunked}, which says how this request's body travels and
   * is no encoding of the object (S3 does not store it); null if nothing else is left.
   */
  private static String withoutAwsChunked(String encoding) {
    String rest =
        String.join(
            ", ",
            Arrays.stream(encoding.split(","))
                .map(String::strip)
                .filter(token -> !token.isEmpty() && !token.equalsIgnoreCase("aws-chunked"))
                .toList());
    return rest.isEmpty() ? null : rest;
  }

  /** A stored object's metadata without its ETag, for a copy that keeps it. */
  static Map<String, String> userAttributes(FileStatus file) {
    Map<String, String> attributes = new HashMap<>();
    file.getAttributesMap()
        .forEach(
            (name, value) -> {
              if (name.startsWith(PREFIX) && !name.equals(ETAG)) {
                attributes.put(name, value);
              }
            });
    return attributes;
  }

  /** {@code attributes} with the ETag of an object whose MD5 is {@code md5Hex}. */
  static Map<String, String> withETag(Map<String, String> attributes, String md5Hex) {
    Map<String, String> all = new HashMap<>(attributes);
    all.put(ETAG, md5Hex);
    return all;
  }

  /** The quoted ETag of a stored object, or null if it has none (not stored by a gateway). */
  static String etag(FileStatus file) {
    String etag = file.getAttributesMap().get(ETAG);
    return etag == null ? null : '"' + etag + '"';
  }

  /** Sets the stored headers on a GET or HEAD answer. */
  static void answer(HttpServerResponse response, FileStatus file) {
    Map<String, String> attributes = file.getAttributesMap();
    String etag = etag(file);
    if (etag != null) {
      response.putHeader("ETag", etag);
    }
    response.putHeader(
        "Content-Type", attributes.getOrDefault(PREFIX + "content-type", "binary/octet-stream"));
    attributes.forEach(
        (name, value) -> {
          if (name.startsWith(PREFIX)
              && !name.equals(ETAG)
              && !name.equals(PREFIX + "content-type")) {
            response.putHeader(name.substring(PREFIX.length()), value);
          }
        });
  }
}
