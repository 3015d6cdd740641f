package io.raftfs.s3;

import io.raftfs.client.meta.DirectoryNotEmptyException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.FileStatus;

/** The bucket operations: buckets are the top-level directories of the namespace. */
final class Buckets {
  private final MetaClient meta;
  private final String region;

  Buckets(MetaClient meta, String region) {
    this.meta = meta;
    this.region = region;
  }

  /** GET /: every top-level directory. */
  void list(S3Request request) {
    S3Xml xml = S3Xml.document("ListAllMyBucketsResult");
    xml.open("Owner").element("ID", "raftfs").element("DisplayName", "raftfs").close("Owner");
    xml.open("Buckets");
    for (FileStatus entry : meta.list("/")) {
      if (entry.getDirectory()) {
        xml.open("Bucket")
            .element("Name", entry.getPath().substring(1))
            .element("CreationDate", S3Xml.time(entry.getMtimeMillis()))
            .close("Bucket");
      }
    }
    xml.close("Buckets");
    Answers.xml(request, 200, xml.end("ListAllMyBucketsResult"));
  }

  /** PUT /bucket. */
  void create(S3Request request) {
    try {
      meta.mkdir(S3Names.bucketPath(request.bucket), false);
    } catch (PathExistsException e) {
      throw new S3Exception(
          409, "BucketAlreadyOwnedByYou", "the bucket exists already: " + request.bucket);
    }
    request.response().putHeader("Location", "/" + request.bucket);
    Answers.empty(request, 200);
  }

  /** HEAD /bucket. */
  void head(S3Request request) {
    require(request.bucket);
    request.response().putHeader("x-amz-bucket-region", region);
    Answers.empty(request, 200);
  }

  /**
   * DELETE /bucket: only one without keys. Deleted keys leave their directories behind, so those go
   * first, deepest first and each only while empty: a key put meanwhile is never deleted, it makes
   * the bucket not empty.
   */
  void delete(S3Request request) {
    require(request.bucket);
    removeEmpty(S3Names.bucketPath(request.bucket), request.bucket);
    Answers.empty(request, 204);
  }

  private void removeEmpty(String directory, String bucket) {
    try {
      for (FileStatus child : meta.list(directory)) {
        if (!child.getDirectory()) {
          throw notEmpty(bucket);
        }
        removeEmpty(child.getPath(), bucket);
      }
      meta.delete(directory, false);
    } catch (DirectoryNotEmptyException e) {
      throw notEmpty(bucket);
    }
  }

  private static S3Exception notEmpty(String bucket) {
    return new S3Exception(409, "BucketNotEmpty", "the bucket is not empty: " + bucket);
  }

  /** GET /bucket?location. */
  void location(S3Request request) {
    require(request.bucket);
    // us-east-1 is answered as an empty constraint, as S3 does.
    String constraint = region.equals("us-east-1") ? "" : region;
    Answers.xml(
        request,
        200,
        S3Xml.document("LocationConstraint").text(constraint).end("LocationConstraint"));
  }

  /** Fails with NoSuchBucket unless the bucket exists. */
  void require(String bucket) {
    FileStatus status;
    try {
      status = meta.stat(S3Names.bucketPath(bucket));
    } catch (PathNotFoundException e) {
      throw S3Exception.noSuchBucket(bucket);
    }
    if (!status.getDirectory()) {
      throw S3Exception.noSuchBucket(bucket);
    }
  }
}
