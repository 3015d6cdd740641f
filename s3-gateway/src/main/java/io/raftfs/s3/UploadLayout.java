package io.raftfs.s3;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Where multipart uploads live: in the namespace, as ordinary directories and files, so they are
 * replicated, snapshotted and survive a leader's death like everything else. The hidden top-level
 * directory cannot clash with a bucket, whose names never start with a dot.
 *
 * <pre>
 * /.s3-uploads                   0711, the gateway's: everyone passes, superusers list
 * /.s3-uploads/BUCKET            01733: anyone makes an upload there and removes only their own
 *                                (the sticky bit), nobody but a superuser lists it
 * /.s3-uploads/BUCKET/ID         0700, the initiating user's: nobody else reads or writes
 * /.s3-uploads/BUCKET/ID/upload  the marker, no blocks: the key and the object's metadata as
 *                                attributes, the initiation time as its mtime
 * /.s3-uploads/BUCKET/ID/00042   part 42, written as an object is, its ETag an attribute
 * </pre>
 */
final class UploadLayout {
  static final String ROOT = "/.s3-uploads";
  static final int ROOT_MODE = 0711;
  static final int BUCKET_MODE = 01733;
  static final int UPLOAD_MODE = 0700;
  static final int MARKER_MODE = 0600;
  static final String MARKER = "upload";

  /** The marker's attribute holding the object's key (not an {@code s3.} one: not copied). */
  static final String KEY_ATTRIBUTE = "s3-upload.key";

  /** S3's bounds of part numbers. */
  static final int MAX_PARTS = 10_000;

  // 128 random bits, base64url without padding: URL-safe, and a name of one path segment.
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final Pattern PART_NAME = Pattern.compile("[0-9]{5}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private UploadLayout() {}

  static String newUploadId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /** The directory of every upload into {@code bucket}. */
  static String bucketDirectory(String bucket) {
    return ROOT + S3Names.bucketPath(bucket);
  }

  /**
   * The upload's directory.
   *
   * @throws S3Exception 404 {@code NoSuchUpload} for an id this gateway never makes
   */
  static String directory(String bucket, String uploadId) {
    if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
      throw noSuchUpload(uploadId);
    }
    return bucketDirectory(bucket) + "/" + uploadId;
  }

  static String marker(String bucket, String uploadId) {
    return directory(bucket, uploadId) + "/" + MARKER;
  }

  static String part(String uploadDirectory, int number) {
    return uploadDirectory + "/" + String.format("%05d", number);
  }

  /** The part number a file name of an upload's directory stands for, or 0 if none. */
  static int partNumberOf(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return PART_NAME.matcher(name).matches() ? Integer.parseInt(name) : 0;
  }

  /**
   * A request's {@code partNumber}.
   *
   * @throws S3Exception 400 {@code InvalidArgument} outside 1..10000
   */
  static int partNumber(String text) {
    try {
      int number = Integer.parseInt(text);
      if (number >= 1 && number <= MAX_PARTS) {
        return number;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw S3Exception.invalidArgument(
        "Part number must be an integer between 1 and " + MAX_PARTS + ": " + text);
  }

  static S3Exception noSuchUpload(String uploadId) {
    return new S3Exception(
        404,
        "NoSuchUpload",
        "The specified upload does not exist; it may have been aborted or completed: " + uploadId);
  }
}
