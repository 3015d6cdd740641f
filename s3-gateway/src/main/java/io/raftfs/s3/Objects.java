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
    this.stallTimeout = stallTimeout;
    this.chunks = new ChunkSignatures(meta);
  }

  /** PUT /bucket/key: streams the body into a new version of the file, checked before commit. */
  void put(S3Request request, S3Signature signature) throws IOException {
    S3Names.objectPath(request.bucket, request.key);
    buckets.require(request.bucket);
    Map<String, String> metadata = ObjectMetadata.of(request);
    CheckedBody body = checkedBody(request, signature);
    store(
        request.bucket, request.key, body, () -> ObjectMetadata.withETag(metadata, body.md5Hex()));
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

  /** Stores {@code in} as the key's new version, making the directories above it. */
  FileStatus store(
      String bucket, String key, InputStream in, Supplier<Map<String, String>> attributes)
      throws IOException {
    String path = S3Names.objectPath(bucket, key);
    int slash = path.lastIndexOf('/');
    try {
      if (slash > bucket.length() + 1) {
        meta.mkdir(path.substring(0, slash), true);
      }
      return files.put(in, path, putOptions, attributes, TransferListener.NONE);
    } catch (NotADirectoryException | PathExistsException e) {
      throw S3Exception.invalidArgument(
          "a prefix of the key is an object, or the key is a prefix of others: " + key);
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
    delete(request.bucket, request.key);
    Answers.empty(request, 204);
  }

  /** Deletes the key's file if there is one; a directory (a prefix) is no key and stays. */
  void delete(String bucket, String key) {
    String path = S3Names.objectPath(bucket, key);
    try {
      if (!meta.stat(path).getDirectory()) {
        meta.delete(path, false);
      }
    } catch (PathNotFoundException | NotADirectoryException e) {
      // Nothing there: S3 answers 204 all the same.
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
