package io.raftfs.s3;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.FileStatus;

/**
 * S3's ACLs as raftfs's mode bits, the only permissions raftfs has (docs/s3.md, "ACLs"). The two
 * canned ACLs that mode bits can say are served: {@code private} (the owner alone: buckets 0700,
 * objects 0600, the default as in S3) and {@code authenticated-read} (every raftfs user reads: 0755
 * and 0644). {@code GET ?acl} shows the mode as grants: the owner's {@code FULL_CONTROL} and, when
 * others may read or write, the AuthenticatedUsers group's {@code READ} or {@code WRITE}. Grants to
 * single users, e-mail addresses or anonymous users have no mode bits: 501.
 */
final class Acls {
  static final int PRIVATE_BUCKET = 0700;
  static final int PRIVATE_OBJECT = 0600;
  private static final int SHARED_BUCKET = 0755;
  private static final int SHARED_OBJECT = 0644;
  private static final String AUTHENTICATED_USERS =
      "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
  private static final int OTHERS_READ = 04;
  private static final int OTHERS_WRITE = 02;
  private static final String[] GRANT_HEADERS = {
    "x-amz-grant-read",
    "x-amz-grant-write",
    "x-amz-grant-read-acp",
    "x-amz-grant-write-acp",
    "x-amz-grant-full-control"
  };

  private final MetaClient meta;
  private final Buckets buckets;

  Acls(MetaClient meta, Buckets buckets) {
    this.meta = meta;
    this.buckets = buckets;
  }

  /**
   * The mode an {@code x-amz-acl} header asks for, {@code private} when there is none.
   *
   * @param bucket whether for a bucket (a directory) or an object
   * @throws S3Exception 400 for an unknown canned ACL, 501 for one mode bits cannot say
   */
  static int requestedMode(S3Request request, boolean bucket) {
    for (String grant : GRANT_HEADERS) {
      if (request.header(grant) != null) {
        throw S3Exception.notImplemented("granting to single users (" + grant + ")");
      }
    }
    String canned = request.header("x-amz-acl");
    if (canned == null || canned.equals("private")) {
      return bucket ? PRIVATE_BUCKET : PRIVATE_OBJECT;
    }
    return switch (canned) {
      case "authenticated-read" -> bucket ? SHARED_BUCKET : SHARED_OBJECT;
      case "public-read",
          "public-read-write",
          "aws-exec-read",
          "bucket-owner-read",
          "bucket-owner-full-control",
          "log-delivery-write" ->
          throw S3Exception.notImplemented("the canned ACL " + canned);
      default -> throw S3Exception.invalidArgument("no such canned ACL: " + canned);
    };
  }

  /** GET /bucket?acl and GET /bucket/key?acl: the mode bits as S3 grants. */
  void get(S3Request request) {
    FileStatus entry = entry(request);
    String owner = entry.getOwner();
    S3Xml xml = S3Xml.document("AccessControlPolicy");
    xml.open("Owner").element("ID", owner).element("DisplayName", owner).close("Owner");
    xml.open("AccessControlList");
    // The group's grants first, as S3 lists them.
    if ((entry.getPermission() & OTHERS_READ) != 0) {
      groupGrant(xml, "READ");
    }
    if (entry.getDirectory() && (entry.getPermission() & OTHERS_WRITE) != 0) {
      groupGrant(xml, "WRITE");
    }
    grant(xml, owner, "FULL_CONTROL");
    xml.close("AccessControlList");
    Answers.xml(request, 200, xml.end("AccessControlPolicy"));
  }

  /**
   * PUT /bucket?acl and PUT /bucket/key?acl with a canned ACL: a chmod as the requester, so only
   * the owner (or a superuser) changes it. A policy document in the body is not read: 501.
   */
  void put(S3Request request) {
    if (request.header("x-amz-acl") == null && !hasGrantHeader(request)) {
      throw S3Exception.notImplemented("an ACL given as an AccessControlPolicy document");
    }
    boolean bucket = request.key == null;
    int mode = requestedMode(request, bucket);
    FileStatus entry = entry(request);
    meta.setPermission(entry.getPath(), mode);
    Answers.empty(request, 200);
  }

  private static boolean hasGrantHeader(S3Request request) {
    for (String grant : GRANT_HEADERS) {
      if (request.header(grant) != null) {
        return true;
      }
    }
    return false;
  }

  private FileStatus entry(S3Request request) {
    if (request.key == null) {
      buckets.require(request.bucket);
      return meta.stat(S3Names.bucketPath(request.bucket));
    }
    try {
      FileStatus status = meta.stat(S3Names.objectPath(request.bucket, request.key));
      if (!status.getDirectory()) {
        return status;
      }
    } catch (PathNotFoundException | NotADirectoryException e) {
      buckets.require(request.bucket);
    }
    throw S3Exception.noSuchKey(request.key);
  }

  private static void grant(S3Xml xml, String user, String permission) {
    xml.open("Grant")
        .openGrantee("CanonicalUser")
        .element("ID", user)
        .element("DisplayName", user)
        .close("Grantee")
        .element("Permission", permission)
        .close("Grant");
  }

  private static void groupGrant(S3Xml xml, String permission) {
    xml.open("Grant")
        .openGrantee("Group")
        .element("URI", AUTHENTICATED_USERS)
        .close("Grantee")
        .element("Permission", permission)
        .close("Grant");
  }
}
