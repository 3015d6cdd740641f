package io.raftfs.s3;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.FileStatus;
import io.raftfs.s3.auth.ChunkSignatures;
import io.raftfs.s3.auth.S3Signature;
import io.raftfs.s3.body.CheckedBody;
import io.raftfs.s3.http.ResponseBodyStream;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Supplier;

/** The object operations: PUT, GET (with Range), HEAD and DELETE of one key. */
final class Objects {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private static final String[] RESPONSE_OVERRIDES = {
    "content-type",
    "content-language",
    "expires",
    "cache-control",
    "content-disposition",
    "content-encoding"
  };

  private final MetaClient meta;
  private final FileSystemClient files;
  private final Buckets buckets;
  private final PutOptions putOptions;
  private final PutOptions createOnly;
  private final Duration stallTimeout;
  private final ChunkSignatures chunks;

  Objects(
      MetaClient meta,
      FileSystemClient files,
      Buckets buckets,
      int replication,
      Duration stallTimeout) {
    this.meta = meta;
    this.files = files;
    this.buckets = buckets;
    this.putOptions = new PutOptions(replication, PutOptions.DEFAULT_BLOCK_SIZE, true);
    this.createOnly = new PutOptions(replication, PutOptions.DEFAULT_BLOCK_SIZE, false);
    this.stallTimeout = stallTimeout;
    this.chunks = new ChunkSignatures(meta);
  }

  /**
   * PUT /bucket/key: streams the body into a new version of the file, checked before commit. New
   * objects are private (the gateway's umask); an {@code x-amz-acl} sets the mode it asks for.
   */
  void put(S3Request request, S3Signature signature) throws IOException {
    S3Names.objectPath(request.bucket, request.key);
    int mode = Acls.requestedMode(request, false);
    buckets.require(request.bucket);
    if (request.header("If-Match") != null || request.header("If-None-Match") != null) {
      Preconditions.checkWrite(request, current(request.bucket, request.key), false);
    }
    Map<String, String> metadata = ObjectMetadata.of(request);
    CheckedBody body = checkedBody(request, signature);
    FileStatus stored =
        store(
            request.bucket,
            request.key,
            body,
            () -> ObjectMetadata.withETag(metadata, body.md5Hex()),
            !Preconditions.createOnly(request));
    applyAcl(request, stored, mode);
    request.response().putHeader("ETag", '"' + body.md5Hex() + '"');
    Answers.empty(request, 200);
  }

  /**
   * The request's body, checked against everything its headers and signature declare: length,
   * hashes, checksums and, for a signed aws-chunked body, every chunk's signature.
   */
  CheckedBody checkedBody(S3Request request, S3Signature signature) {
    return new CheckedBody(
        request.body, request::header, signature.payloadHash(), chunks.chainFor(signature));
  }

  /**
   * Gives a just-written object the mode of the request's {@code x-amz-acl}, if it has one: new
   * files are private already (the gateway's umask), an overwritten one keeps its mode.
   */
  void applyAcl(S3Request request, FileStatus written, int mode) {
    if (request.header("x-amz-acl") != null && written.getPermission() != mode) {
      meta.setPermission(written.getPath(), mode);
    }
  }

  /**
   * Stores {@code in} as the key's new version, making the directories above it.
   *
   * @param overwrite false to create the key only: a key that exists is 412 {@code
   *     PreconditionFailed}, decided by the masters at the commit
   */
  FileStatus store(
      String bucket,
      String key,
      InputStream in,
      Supplier<Map<String, String>> attributes,
      boolean overwrite)
      throws IOException {
    String path = S3Names.objectPath(bucket, key);
    int slash = path.lastIndexOf('/');
    try {
      if (slash > bucket.length() + 1) {
        meta.mkdir(path.substring(0, slash), true);
      }
      return files.put(
          in, path, overwrite ? putOptions : createOnly, attributes, TransferListener.NONE);
    } catch (PathExistsException e) {
      if (!overwrite && current(bucket, key) != null) {
        throw Preconditions.failed("If-None-Match");
      }
      throw notAPath(key);
    } catch (NotADirectoryException e) {
      throw notAPath(key);
    }
  }

  private static S3Exception notAPath(String key) {
    return S3Exception.invalidArgument(
        "a prefix of the key is an object, or the key is a prefix of others: " + key);
  }

  /** The key's object, or null if there is none. */
  private FileStatus current(String bucket, String key) {
    try {
      FileStatus status = meta.stat(S3Names.objectPath(bucket, key));
      return status.getDirectory() ? null : status;
    } catch (PathNotFoundException | NotADirectoryException e) {
      return null;
    }
  }

  /** GET /bucket/key, whole or one {@code Range}. */
  void get(S3Request request) throws IOException {
    BlockLocations file = locate(request.bucket, request.key);
    long length = file.getStatus().getLength();
    HttpServerResponse response = request.response();
    headers(response, file.getStatus());
    if (Preconditions.notModified(request, file.getStatus())) {
      Answers.empty(request, 304);
      return;
    }
    overrides(request, response);
    ByteRange range = ByteRange.parse(request.header("Range"), length);
    if (range == null) {
      response.setStatusCode(200).putHeader("Content-Length", Long.toString(length));
    } else {
      response
          .setStatusCode(206)
          .putHeader("Content-Length", Long.toString(range.length()))
          .putHeader("Content-Range", range.contentRange(length));
    }
    try (ResponseBodyStream out = new ResponseBodyStream(response, stallTimeout)) {
      if (range == null) {
        files.read(file, 0, length, out);
      } else {
        files.read(file, range.first(), range.length(), out);
      }
    }
  }

  /** HEAD /bucket/key. */
  void head(S3Request request) {
    FileStatus status = stat(request);
    HttpServerResponse response = request.response();
    headers(response, status);
    if (Preconditions.notModified(request, status)) {
      Answers.empty(request, 304);
      return;
    }
    response.putHeader("Content-Length", Long.toString(status.getLength()));
    Answers.empty(request, 200);
  }

  /** DELETE /bucket/key: a missing key is deleted already, as S3 answers. */
  void delete(S3Request request) {
    buckets.require(request.bucket);
    delete(
        request.bucket,
        request.key,
        new DeleteCondition(
            request.header("If-Match"),
            number(request.header("x-amz-if-match-size")),
            Preconditions.seconds(request.header("x-amz-if-match-last-modified-time"))));
    Answers.empty(request, 204);
  }

  /**
   * What an object must be to be deleted (each null: anything): its ETag ({@code If-Match}), its
   * size and its modification time in seconds (S3's {@code x-amz-if-match-size} and {@code
   * x-amz-if-match-last-modified-time}).
   */
  record DeleteCondition(String etag, Long size, Long mtimeSeconds) {
    boolean holdsFor(FileStatus file) {
      return (etag == null || Preconditions.matches(etag, ObjectMetadata.etag(file)))
          && (size == null || size == file.getLength())
          && (mtimeSeconds == null || mtimeSeconds == file.getMtimeMillis() / 1000);
    }
  }

  private static Long number(String text) {
    try {
      return text == null ? null : Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw S3Exception.invalidArgument("not a number: " + text);
    }
  }

  /**
   * Deletes the key's file if there is one; a directory (a prefix) is no key and stays. Only if
   * {@code condition} holds for it, else 412; checked just before the delete, not atomically with
   * it.
   */
  void delete(String bucket, String key, DeleteCondition condition) {
    FileStatus current = current(bucket, key);
    if (current == null) {
      return; // Nothing there: S3 answers 204 all the same.
    }
    if (!condition.holdsFor(current)) {
      throw Preconditions.failed("If-Match");
    }
    try {
      meta.delete(current.getPath(), false);
    } catch (PathNotFoundException e) {
      // Deleted meanwhile: as good.
    }
  }

  private FileStatus stat(S3Request request) {
    String path = S3Names.objectPath(request.bucket, request.key);
    try {
      FileStatus status = meta.stat(path);
      if (status.getDirectory()) {
        throw S3Exception.noSuchKey(request.key);
      }
      return status;
    } catch (PathNotFoundException | NotADirectoryException e) {
      buckets.require(request.bucket);
      throw S3Exception.noSuchKey(request.key);
    }
  }

  /** The key's file and its blocks; NoSuchKey or NoSuchBucket if there is none. */
  BlockLocations locate(String bucket, String key) {
    String path = S3Names.objectPath(bucket, key);
    try {
      BlockLocations file = files.locate(path);
      if (file.getStatus().getDirectory()) {
        throw S3Exception.noSuchKey(key);
      }
      return file;
    } catch (PathNotFoundException | NotADirectoryException e) {
      buckets.require(bucket);
      throw S3Exception.noSuchKey(key);
    }
  }

  /** A GET's {@code response-content-type=...} and the like replace the stored headers. */
  private static void overrides(S3Request request, HttpServerResponse response) {
    for (String header : RESPONSE_OVERRIDES) {
      String value = request.query.get("response-" + header);
      if (value != null) {
        response.putHeader(header, value);
      }
    }
  }

  private static void headers(HttpServerResponse response, FileStatus status) {
    response.putHeader(
        "Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(status.getMtimeMillis())));
    response.putHeader("Accept-Ranges", "bytes");
    ObjectMetadata.answer(response, status);
  }
}
