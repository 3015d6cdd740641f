package io.raftfs.s3;

import io.raftfs.client.meta.DirectoryNotEmptyException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.UserInfo;
import java.util.ArrayList;
import java.util.List;

/** The bucket operations: buckets are the top-level directories of the namespace. */
final class Buckets {
  // S3 lists at most this many buckets in one answer.
  private static final int MAX_BUCKETS = 10_000;

  private final MetaClient meta;
  private final String region;

  Buckets(MetaClient meta, String region) {
    this.meta = meta;
    this.region = region;
  }

  /**
   * GET /: the requester's buckets (the top-level directories it owns), as S3 lists only one's own;
   * {@code prefix}, and pages of {@code max-buckets} after a {@code continuation-token} (the last
   * name of the page before).
   */
  void list(S3Request request, String accessKeyId) {
    // As the requester first: the masters check the request's proof with this call.
    List<FileStatus> entries = meta.list("/");
    String owner = userName(accessKeyId);
    String prefix = request.query.getOrDefault("prefix", "");
    String after = request.query.getOrDefault("continuation-token", "");
    List<FileStatus> owned = new ArrayList<>();
    for (FileStatus entry : entries) {
      String name = entry.getPath().substring(1);
      // Names with a dot first are no buckets: the gateway's own, as multipart uploads' home.
      if (entry.getDirectory()
          && !name.startsWith(".")
          && entry.getOwner().equals(owner)
          && name.startsWith(prefix)
          && name.compareTo(after) > 0) {
        owned.add(entry);
      }
    }
    int wanted = maxBuckets(request);
    List<FileStatus> page = owned.subList(0, Math.min(wanted, owned.size()));
    S3Xml xml = S3Xml.document("ListAllMyBucketsResult");
    xml.open("Owner").element("ID", owner).element("DisplayName", owner).close("Owner");
    xml.open("Buckets");
    for (FileStatus bucket : page) {
      xml.open("Bucket")
          .element("Name", bucket.getPath().substring(1))
          .element("CreationDate", S3Xml.time(bucket.getMtimeMillis()))
          .close("Bucket");
    }
    xml.close("Buckets");
    if (owned.size() > page.size()) {
      xml.element("ContinuationToken", page.get(page.size() - 1).getPath().substring(1));
    }
    if (!prefix.isEmpty()) {
      xml.element("Prefix", prefix);
    }
    Answers.xml(request, 200, xml.end("ListAllMyBucketsResult"));
  }

  private static int maxBuckets(S3Request request) {
    String text = request.query.get("max-buckets");
    if (text == null) {
      return MAX_BUCKETS;
    }
    try {
      int asked = Integer.parseInt(text);
      if (asked < 1 || asked > MAX_BUCKETS) {
        throw S3Exception.invalidArgument("max-buckets must be 1.." + MAX_BUCKETS);
      }
      return asked;
    } catch (NumberFormatException e) {
      throw S3Exception.invalidArgument("max-buckets is not a number: " + text);
    }
  }

  /**
   * PUT /bucket: as in S3, any authenticated user may create a bucket, and it is theirs. The root
   * directory is the superuser's, so the gateway (a superuser) makes the bucket's directory and
   * gives it to the user, in the user's own group, with the mode of its canned ACL (private, 0700,
   * unless {@code x-amz-acl} says otherwise).
   */
  void create(S3Request request, String accessKeyId) {
    String path = S3Names.bucketPath(request.bucket);
    int mode = Acls.requestedMode(request, true);
    // As the requester first: the masters check the request's proof (a forged one stops here).
    meta.stat("/");
    try (MetaClient.EndUserScope asGateway = meta.actingFor(null)) {
      String owner = userName(accessKeyId);
      try {
        meta.mkdir(path, false, mode);
      } catch (PathExistsException e) {
        if (!meta.stat(path).getOwner().equals(owner)) {
          throw new S3Exception(
              409, "BucketAlreadyExists", "the bucket name is taken: " + request.bucket);
        }
        // S3's us-east-1 answers 200 to its owner, leaving the bucket as it is; other regions 409.
        if (!region.equals("us-east-1")) {
          throw new S3Exception(
              409, "BucketAlreadyOwnedByYou", "you own this bucket already: " + request.bucket);
        }
        request.response().putHeader("Location", "/" + request.bucket);
        Answers.empty(request, 200);
        return;
      }
      meta.setOwner(path, owner, owner);
    }
    request.response().putHeader("Location", "/" + request.bucket);
    Answers.empty(request, 200);
  }

  /**
   * The name of the user whose key {@code accessKeyId} is (the root key's is root). Runs as the
   * gateway: only a superuser lists users.
   */
  String userName(String accessKeyId) {
    try (MetaClient.EndUserScope asGateway = meta.actingFor(null)) {
      return meta.listUsers().stream()
          .filter(user -> user.getAccessKeyId().equals(accessKeyId))
          .map(UserInfo::getName)
          .findFirst()
          .orElse("root");
    }
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
        if (!owner.equals(userName(accessKeyId))) {
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
