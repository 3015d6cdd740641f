package io.raftfs.s3;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * How buckets and keys map to raftfs paths: a bucket is a top-level directory, a key the path below
 * it, each {@code /} a directory level. Keys that cannot be paths are refused with 400 (docs/s3.md,
 * "Keys"): empty segments ({@code a//b}, a leading or trailing {@code /}), {@code .} and {@code ..}
 * segments, and keys over S3's 1024 bytes.
 */
public final class S3Names {
  static final int MAX_KEY_BYTES = 1024;
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  private S3Names() {}

  /** True for a name S3 allows for a bucket (IP addresses it does not). */
  public static boolean validBucket(String bucket) {
    return BUCKET.matcher(bucket).matches()
        && !bucket.contains("..")
        && !bucket.contains(".-")
        && !bucket.contains("-.")
        && !IP_ADDRESS.matcher(bucket).matches();
  }

  /** The bucket's directory; refuses names S3 does not allow (and IP addresses, as S3 does). */
  static String bucketPath(String bucket) {
    if (!validBucket(bucket)) {
      throw new S3Exception(
          400,
          "InvalidBucketName",
          "bucket names are 3-63 of a-z, 0-9, '.' and '-', a letter or digit at each end and"
              + " around each '.', and no IP address: "
              + bucket);
    }
    return "/" + bucket;
  }

  /** The object's file path. */
  static String objectPath(String bucket, String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new S3Exception(400, "KeyTooLongError", "keys are at most " + MAX_KEY_BYTES + " bytes");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw S3Exception.invalidArgument(
            "raftfs keys are paths: no empty, '.' or '..' segment, no leading or trailing '/': "
                + key);
      }
    }
    return bucketPath(bucket) + "/" + key;
  }
}
