package io.raftfs.s3;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.s3.auth.S3Signature;
import io.raftfs.s3.config.S3GatewayConfig;
import java.io.IOException;
import java.util.concurrent.ExecutorService;

/**
 * Routes S3's multipart upload requests ({@code ?uploads}, {@code ?uploadId}) to their operations;
 * docs/s3.md says what works. Uploads live in the namespace ({@link UploadLayout}), so any gateway
 * serves any step of any upload.
 */
final class Multipart {
  private final MultipartUploads uploads;
  private final UploadParts parts;
  private final CompleteMultipartUpload complete;
  private final Objects objects;

  Multipart(
      MetaClient meta,
      FileSystemClient files,
      Buckets buckets,
      Objects objects,
      S3GatewayConfig config,
      ExecutorService copyReaders) {
    this.objects = objects;
    this.uploads = new MultipartUploads(meta, buckets, config.replication());
    this.parts = new UploadParts(meta, files, uploads, objects, copyReaders, config.replication());
    this.complete =
        new CompleteMultipartUpload(meta, files, buckets, uploads, parts, config.minPartBytes());
  }

  /** Serves the request if it is a multipart one; false if it is not. */
  boolean serve(S3Request request, S3Signature signature) throws IOException {
    boolean initiate = request.has("uploads");
    boolean ofUpload = request.has("uploadId");
    if (!initiate && !ofUpload || request.bucket == null) {
      return false;
    }
    String method = request.method;
    if (request.key == null) {
      if (!initiate || !method.equals("GET")) {
        throw S3Exception.notImplemented(method + " of a bucket's ?uploads");
      }
      uploads.list(request);
      return true;
    }
    if (initiate) {
      if (!method.equals("POST")) {
        throw S3Exception.notImplemented(method + " of ?uploads");
      }
      uploads.create(request);
      return true;
    }
    switch (method) {
      case "PUT" -> {
        if (request.header("x-amz-copy-source") != null) {
          parts.copy(request);
        } else {
          parts.upload(request, signature);
        }
      }
      case "POST" -> complete.complete(request, objects.checkedBody(request, signature));
      case "DELETE" -> uploads.abort(request);
      case "GET" -> parts.list(request);
      default -> throw S3Exception.notImplemented(method + " of ?uploadId");
    }
    return true;
  }
}
