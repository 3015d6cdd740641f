package io.raftfs.s3;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.FileStatus;
import io.raftfs.s3.body.CheckedBody;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * {@code PUT /bucket/key} with {@code x-amz-copy-source}: the source's blocks are read from its
 * replicas and streamed into the new file through the gateway, never to the client. raftfs files
 * cannot share blocks, so the bytes are copied; they are counted and checked against the source's
 * length before the commit, so a failed read never leaves a short copy.
 */
final class CopyObject {
  // A copy reads on one thread and writes on the request's: this much is in flight between them.
  private static final int PIPE_BYTES = 1 << 20;

  private final FileSystemClient files;
  private final Objects objects;
  private final Buckets buckets;
  private final ExecutorService readers;

  /**
   * @param readers one thread per copy in progress reads the source
   */
  CopyObject(FileSystemClient files, Objects objects, Buckets buckets, ExecutorService readers) {
    this.files = files;
    this.objects = objects;
    this.buckets = buckets;
    this.readers = readers;
  }

  void copy(S3Request request) throws IOException {
    String source = S3Request.percentDecode(request.header("x-amz-copy-source"));
    int query = source.indexOf('?');
    if (query >= 0) {
      if (!source.substring(query + 1).equals("versionId=null")) {
        throw S3Exception.notImplemented("copying a version other than null");
      }
      source = source.substring(0, query);
    }
    source = source.startsWith("/") ? source.substring(1) : source;
    int slash = source.indexOf('/');
    if (slash <= 0 || slash == source.length() - 1) {
      throw S3Exception.invalidArgument("x-amz-copy-source must be bucket/key: " + source);
    }
    String sourceBucket = source.substring(0, slash);
    String sourceKey = source.substring(slash + 1);
    int mode = Acls.requestedMode(request, false);
    boolean replace = "REPLACE".equals(request.header("x-amz-metadata-directive"));
    if (!replace && sourceBucket.equals(request.bucket) && sourceKey.equals(request.key)) {
      throw new S3Exception(
          400,
          "InvalidRequest",
          "copying an object onto itself needs x-amz-metadata-directive REPLACE");
    }
    buckets.require(request.bucket);
    BlockLocations file = objects.locate(sourceBucket, sourceKey);
    Map<String, String> attributes =
        replace ? ObjectMetadata.of(request) : ObjectMetadata.userAttributes(file.getStatus());
    long length = file.getStatus().getLength();
    PipedInputStream pipe = new PipedInputStream(PIPE_BYTES);
    PipedOutputStream sink = new PipedOutputStream(pipe);
    Future<?> reading =
        readers.submit(
            () -> {
              try (sink) {
                files.read(file, 0, length, sink);
              }
              return null;
            });
    Map<String, String> lengthOnly = new HashMap<>();
    lengthOnly.put("content-length", Long.toString(length));
    CheckedBody body = new CheckedBody(pipe, lengthOnly::get, "UNSIGNED-PAYLOAD");
    FileStatus copied;
    try {
      copied =
          objects.store(
              request.bucket,
              request.key,
              body,
              () -> ObjectMetadata.withETag(attributes, body.md5Hex()),
              true);
      reading.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while copying");
    } catch (ExecutionException e) {
      throw new IOException("reading the source failed: " + e.getCause().getMessage(), e);
    } finally {
      reading.cancel(true);
      pipe.close();
    }
    objects.applyAcl(request, copied, mode);
    Answers.xml(
        request,
        200,
        S3Xml.document("CopyObjectResult")
            .element("LastModified", S3Xml.time(copied.getMtimeMillis()))
            .element("ETag", ObjectMetadata.etag(copied))
            .end("CopyObjectResult"));
  }
}
