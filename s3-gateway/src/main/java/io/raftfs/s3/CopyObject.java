package io.raftfs.s3;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.FileStatus;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * {@code PUT /bucket/key} with {@code x-amz-copy-source}: the source's blocks are read from its
 * replicas and streamed into the new file through the gateway, never to the client ({@link
 * CopySource}).
 */
final class CopyObject {
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
    CopySource source = CopySource.of(request);
    int mode = Acls.requestedMode(request, false);
    boolean replace = "REPLACE".equals(request.header("x-amz-metadata-directive"));
    if (!replace && source.bucket().equals(request.bucket) && source.key().equals(request.key)) {
      throw new S3Exception(
          400,
          "InvalidRequest",
          "copying an object onto itself needs x-amz-metadata-directive REPLACE");
    }
    buckets.require(request.bucket);
    BlockLocations file = objects.locate(source.bucket(), source.key());
    Map<String, String> attributes =
        replace ? ObjectMetadata.of(request) : ObjectMetadata.userAttributes(file.getStatus());
    long length = file.getStatus().getLength();
    FileStatus copied =
        CopySource.copy(
            files,
            readers,
            file,
            0,
            length,
            body ->
                objects.store(
                    request.bucket,
                    request.key,
                    body,
                    () -> ObjectMetadata.withETag(attributes, body.md5Hex()),
                    true));
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
