package io.raftfs.s3;

/**
 * An S3 error answer: the HTTP status, S3's error code ({@code NoSuchKey}, ...) and a one-line
 * message, rendered as S3's XML error document by {@link S3Xml#error}.
 */
public final class S3Exception extends RuntimeException {
  private final int status;
  private final String code;

  public S3Exception(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static S3Exception noSuchBucket(String bucket) {
    return new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist: " + bucket);
  }

  public static S3Exception noSuchKey(String key) {
    return new S3Exception(404, "NoSuchKey", "The specified key does not exist: " + key);
  }

  public static S3Exception invalidArgument(String message) {
    return new S3Exception(400, "InvalidArgument", message);
  }

  public static S3Exception notImplemented(String what) {
    return new S3Exception(501, "NotImplemented", what + " is not implemented by raftfs");
  }
}
