package io.raftfs.s3.metrics;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * The S3 operation a request asks for, by S3's own names ({@code PutObject}, {@code ListObjectsV2},
 * ...), as the metrics label it: from the method, whether the path names a bucket and a key, and
 * the sub-resource parameters. Anything else is {@code Other}, so the label's values stay few
 * whatever clients send.
 */
final class S3Operations {
  private S3Operations() {}

  static String of(HttpServerRequest request) {
    String path = request.path() == null ? "/" : request.path();
    String rest = path.startsWith("/") ? path.substring(1) : path;
    int slash = rest.indexOf('/');
    boolean bucket = !rest.isEmpty();
    boolean key = slash >= 0 && slash < rest.length() - 1;
    MultiMap query = request.params();
    String method = request.method().name();
    if (!bucket) {
      return method.equals("GET") ? "ListBuckets" : "Other";
    }
    return key ? objectOperation(method, query, request) : bucketOperation(method, query);
  }

  private static String bucketOperation(String method, MultiMap query) {
    return switch (method) {
      case "PUT" -> "CreateBucket";
      case "HEAD" -> "HeadBucket";
      case "DELETE" -> "DeleteBucket";
      case "POST" -> query.contains("delete") ? "DeleteObjects" : "Other";
      case "GET" -> {
        if (query.contains("location")) {
          yield "GetBucketLocation";
        } else if (query.contains("versions")) {
          yield "ListObjectVersions";
        } else if (query.contains("uploads")) {
          yield "ListMultipartUploads";
        } else if ("2".equals(query.get("list-type"))) {
          yield "ListObjectsV2";
        }
        yield "ListObjects";
      }
      default -> "Other";
    };
  }

  private static String objectOperation(String method, MultiMap query, HttpServerRequest request) {
    boolean upload = query.contains("uploadId");
    return switch (method) {
      case "PUT" -> {
        boolean copy = request.getHeader("x-amz-copy-source") != null;
        if (upload) {
          yield copy ? "UploadPartCopy" : "UploadPart";
        }
        yield copy ? "CopyObject" : "PutObject";
      }
      case "GET" -> upload ? "ListParts" : "GetObject";
      case "HEAD" -> "HeadObject";
      case "DELETE" -> upload ? "AbortMultipartUpload" : "DeleteObject";
      case "POST" -> {
        if (query.contains("uploads")) {
          yield "CreateMultipartUpload";
        }
        yield upload ? "CompleteMultipartUpload" : "Other";
      }
      default -> "Other";
    };
  }
}
