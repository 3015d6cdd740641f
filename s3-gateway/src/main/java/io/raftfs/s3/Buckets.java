package io.raftfs.s3;

import io.raftfs.client.meta.DirectoryNotEmptyException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.UserInfo;

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
      // Names with a dot first are no buckets: the gateway's own, as multipart uploads' home.
      if (entry.getDirectory() && !entry.getPath().startsWith("/.")) {
        xml.open("Bucket")
            .element("Name", entry.getPath().substring(1))
            .element("CreationDate", S3Xml.time(entry.getMtimeMillis()))
            .close("Bucket");
      }
    }
    xml.close("Buckets");
    Answers.xml(request, 200, xml.end("ListAllMyBucketsResult"));
  }

  /**
   * PUT /bucket: as in S3, any authenticated user may create a bucket, and it is theirs. The root
   * directory is the superuser's, so the gateway (a superuser) makes the bucket's directory and
   * gives it to the user, in the user's own group.
   */
  void create(S3Request request, String accessKeyId) {
    String path = S3Names.bucketPath(request.bucket);
    // As the requester first: the masters check the request's proof (a forged one stops here).
    meta.stat("/");
    try (MetaClient.EndUserScope asGateway = meta.actingFor(null)) {
      String owner = ownerOf(accessKeyId);
      meta.mkdir(path, false);
      meta.setOwner(path, owner, owner);
    } catch (PathExistsException e) {
      throw new S3Exception(
          409, "BucketAlreadyOwnedByYou", "the bucket exists already: " + request.bucket);
    }
    request.response().putHeader("Location", "/" + request.bucket);
    Answers.empty(request, 200);
  }

  /** The name of the user whose key {@code accessKeyId} is (the root key's is root). */
  private String ownerOf(String accessKeyId) {
    return meta.listUsers().stream()
        .filter(user -> user.getAccessKeyId().equals(accessKeyId))
        .map(UserInfo::getName)
        .findFirst()
        .orElse("root");
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
  void delete(S3Request request, String accessKeyId) {
    require(request.bucket);
    String path = S3Names.bucketPath(request.bucket);
    String owner = meta.stat(path).getOwner();
    // Its contents as the requester; the bucket itself, in the superuser's root directory, by the
    // gateway, and only for its owner (or a superuser, whose own delete passes anyway).
    for (FileStatus child : meta.list(path)) {
      if (!child.getDirectory()) {
        throw notEmpty(request.bucket);
      }
      removeEmpty(child.getPath(), request.bucket);
    }
    try {
      meta.delete(path, false);
    } catch (PermissionDeniedException denied) {
      try (MetaClient.EndUserScope asGateway = meta.actingFor(null)) {
        if (!owner.equals(ownerOf(accessKeyId))) {
          throw denied;
        }
        meta.delete(path, false);
      }
    } catch (DirectoryNotEmptyException e) {
      throw notEmpty(request.bucket);
    }
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
