package io.raftfs.s3;

import io.raftfs.client.PutOptions;
import io.raftfs.client.meta.IsADirectoryException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.proto.FileStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CreateMultipartUpload, AbortMultipartUpload and ListMultipartUploads, and finding an upload for
 * the operations on it ({@link #open}). Every call runs as the request's user, so the namespace's
 * permissions decide (see {@link UploadLayout}); only making the shared directories and listing
 * every upload of a bucket (after the user showed they may list the bucket) are the gateway's.
 */
final class MultipartUploads {
  private static final int MAX_UPLOADS = 1000;

  private final MetaClient meta;
  private final Buckets buckets;
  private final int replication;

  MultipartUploads(MetaClient meta, Buckets buckets, int replication) {
    this.meta = meta;
    this.buckets = buckets;
    this.replication = replication;
  }

  /** An upload in progress, found by its id. */
  record Upload(String bucket, String key, String id, FileStatus marker) {
    String directory() {
      return UploadLayout.directory(bucket, id);
    }

    String objectPath() {
      return S3Names.objectPath(bucket, key);
    }
  }

  /** POST /bucket/key?uploads. */
  void create(S3Request request) {
    String objectPath = S3Names.objectPath(request.bucket, request.key);
    buckets.require(request.bucket);
    Map<String, String> attributes = new HashMap<>(ObjectMetadata.of(request));
    attributes.put(UploadLayout.KEY_ATTRIBUTE, request.key);
    checkMayWrite(objectPath, request.key);
    String id = UploadLayout.newUploadId();
    String directory = UploadLayout.directory(request.bucket, id);
    try {
      meta.mkdir(directory, false, UploadLayout.UPLOAD_MODE);
    } catch (PathNotFoundException | PermissionDeniedException firstInBucket) {
      // Missing shared directories refuse the user's mkdir (no write on the root), or are missing.
      makeBucketDirectory(request.bucket);
      meta.mkdir(directory, false, UploadLayout.UPLOAD_MODE);
    }
    meta.commitFile(
        directory + "/" + UploadLayout.MARKER,
        List.of(),
        replication,
        PutOptions.DEFAULT_BLOCK_SIZE,
        false,
        UploadLayout.MARKER_MODE,
        attributes);
    Answers.xml(
        request,
        200,
        S3Xml.document("InitiateMultipartUploadResult")
            .element("Bucket", request.bucket)
            .element("Key", request.key)
            .element("UploadId", id)
            .end("InitiateMultipartUploadResult"));
  }

  /**
   * Refuses, as the user, an upload they could not complete: the key's directories are made as a
   * put makes them, and the leader checks a placement for the key as it checks a put's (write on
   * the key's directory and on an object it replaces); the placement is never used.
   */
  private void checkMayWrite(String objectPath, String key) {
    makeParents(objectPath, key);
    try {
      meta.allocateBlocks(objectPath, replication, 1, 1, List.of(), true);
    } catch (NotADirectoryException | PathExistsException | IsADirectoryException e) {
      throw notAPath(key);
    }
  }

  /** Makes the directories above the object, as the user, as a put does. */
  void makeParents(String objectPath, String key) {
    int slash = objectPath.lastIndexOf('/');
    if (slash > objectPath.indexOf('/', 1)) {
      try {
        meta.mkdir(objectPath.substring(0, slash), true);
      } catch (NotADirectoryException | PathExistsException e) {
        throw notAPath(key);
      }
    }
  }

  static S3Exception notAPath(String key) {
    return S3Exception.invalidArgument(
        "a prefix of the key is an object, or the key is a prefix of others: " + key);
  }

  /** The shared directories, made by the gateway at a bucket's first upload. */
  private void makeBucketDirectory(String bucket) {
    try (MetaClient.EndUserScope asGateway = meta.actingFor(null)) {
      makeIfMissing(UploadLayout.ROOT, UploadLayout.ROOT_MODE);
      makeIfMissing(UploadLayout.bucketDirectory(bucket), UploadLayout.BUCKET_MODE);
    }
  }

  private void makeIfMissing(String directory, int mode) {
    try {
      meta.mkdir(directory, false, mode);
    } catch (PathExistsException e) {
      // Made by another upload meanwhile.
    }
  }

  /**
   * The upload the request's {@code uploadId} names, read as the user: another user's is refused
   * ({@code AccessDenied}).
   *
   * @throws S3Exception 404 {@code NoSuchUpload} if there is none for this bucket and key
   */
  Upload open(S3Request request) {
    String id = request.query.get("uploadId");
    FileStatus marker;
    try {
      marker = meta.stat(UploadLayout.marker(request.bucket, id));
    } catch (PathNotFoundException | NotADirectoryException e) {
      throw UploadLayout.noSuchUpload(id);
    }
    String key = marker.getAttributesMap().get(UploadLayout.KEY_ATTRIBUTE);
    if (!request.key.equals(key)) {
      throw UploadLayout.noSuchUpload(id);
    }
    return new Upload(request.bucket, key, id, marker);
  }

  /** DELETE /bucket/key?uploadId=ID: the upload's directory, parts and all. */
  void abort(S3Request request) {
    Upload upload = open(request);
    try {
      meta.delete(upload.directory(), true);
    } catch (PathNotFoundException e) {
      throw UploadLayout.noSuchUpload(upload.id());
    }
    Answers.empty(request, 204);
  }

  /** One upload as ListMultipartUploads shows it. */
  private record Listed(String key, String id, long initiatedMillis, String owner) {}

  /**
   * GET /bucket?uploads: for a user who may list the bucket, every upload into it, by key and
   * initiation time, with {@code prefix}, {@code delimiter}, {@code key-marker}, {@code
   * upload-id-marker} and {@code max-uploads}.
   */
  void list(S3Request request) {
    buckets.require(request.bucket);
    // As the user: the bucket's listing is what ListObjects would need.
    meta.listPage(S3Names.bucketPath(request.bucket), "", 1);
    String prefix = request.query.getOrDefault("prefix", "");
    String delimiter = request.query.get("delimiter");
    if (delimiter != null && delimiter.isEmpty()) {
      delimiter = null;
    }
    String keyMarker = request.query.getOrDefault("key-marker", "");
    String idMarker = request.query.getOrDefault("upload-id-marker", "");
    int maxUploads = maxUploads(request.query.get("max-uploads"));

    List<Listed> uploads = after(all(request.bucket), keyMarker, idMarker, delimiter);
    uploads.removeIf(upload -> !upload.key().startsWith(prefix));
    List<Listed> page = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String nextKey = "";
    String nextId = "";
    boolean truncated = false;
    for (Listed upload : uploads) {
      String rolledUp = null;
      if (delimiter != null) {
        int at = upload.key().indexOf(delimiter, prefix.length());
        rolledUp = at < 0 ? null : upload.key().substring(0, at + delimiter.length());
      }
      if (rolledUp != null
          && !prefixes.isEmpty()
          && prefixes.get(prefixes.size() - 1).equals(rolledUp)) {
        continue;
      }
      if (page.size() + prefixes.size() == maxUploads) {
        truncated = true;
        break;
      }
      if (rolledUp != null) {
        prefixes.add(rolledUp);
        nextKey = rolledUp;
        nextId = "";
      } else {
        page.add(upload);
        nextKey = upload.key();
        nextId = upload.id();
      }
    }
    S3Xml xml = S3Xml.document("ListMultipartUploadsResult");
    xml.element("Bucket", request.bucket)
        .element("KeyMarker", Listings.encode(request, keyMarker))
        .element("UploadIdMarker", idMarker);
    if (truncated) {
      xml.element("NextKeyMarker", Listings.encode(request, nextKey))
          .element("NextUploadIdMarker", nextId);
    }
    if (delimiter != null) {
      xml.element("Delimiter", Listings.encode(request, delimiter));
    }
    xml.element("Prefix", Listings.encode(request, prefix));
    if (request.query.get("encoding-type") != null) {
      xml.element("EncodingType", "url");
    }
    xml.element("MaxUploads", maxUploads).element("IsTruncated", truncated);
    for (Listed upload : page) {
      xml.open("Upload")
          .element("Key", Listings.encode(request, upload.key()))
          .element("UploadId", upload.id());
      owner(xml, "Initiator", upload.owner());
      owner(xml, "Owner", upload.owner());
      xml.element("StorageClass", "STANDARD")
          .element("Initiated", S3Xml.time(upload.initiatedMillis()))
          .close("Upload");
    }
    for (String rolledUp : prefixes) {
      xml.open("CommonPrefixes")
          .element("Prefix", Listings.encode(request, rolledUp))
          .close("CommonPrefixes");
    }
    Answers.xml(request, 200, xml.end("ListMultipartUploadsResult"));
  }

  /** An upload's initiator or owner: the raftfs user who started it. */
  static void owner(S3Xml xml, String element, String user) {
    xml.open(element).element("ID", user).element("DisplayName", user).close(element);
  }

  /** Every upload into the bucket with a marker, read by the gateway, by key then time. */
  private List<Listed> all(String bucket) {
    List<Listed> uploads = new ArrayList<>();
    try (MetaClient.EndUserScope asGateway = meta.actingFor(null)) {
      List<FileStatus> directories;
      try {
        directories = meta.list(UploadLayout.bucketDirectory(bucket));
      } catch (PathNotFoundException | NotADirectoryException e) {
        return uploads;
      }
      for (FileStatus directory : directories) {
        if (!directory.getDirectory()) {
          continue;
        }
        try {
          FileStatus marker = meta.stat(directory.getPath() + "/" + UploadLayout.MARKER);
          String key = marker.getAttributesMap().get(UploadLayout.KEY_ATTRIBUTE);
          if (key != null) {
            String id = directory.getPath().substring(directory.getPath().lastIndexOf('/') + 1);
            uploads.add(new Listed(key, id, marker.getMtimeMillis(), directory.getOwner()));
          }
        } catch (PathNotFoundException | NotADirectoryException e) {
          // Completed or aborted meanwhile, or never marked: not an upload.
        }
      }
    }
    uploads.sort(
        Comparator.comparing(Listed::key)
            .thenComparingLong(Listed::initiatedMillis)
            .thenComparing(Listed::id));
    return uploads;
  }

  /**
   * The uploads a page starts with: those after the upload {@code keyMarker} and {@code idMarker}
   * name in listing order, or with only a key marker (or one gone meanwhile), those of later keys;
   * a key marker that is a common prefix already answered skips the keys under it.
   */
  private static List<Listed> after(
      List<Listed> sorted, String keyMarker, String idMarker, String delimiter) {
    if (keyMarker.isEmpty()) {
      return new ArrayList<>(sorted);
    }
    int start = sorted.size();
    for (int i = 0; i < sorted.size(); i++) {
      Listed upload = sorted.get(i);
      if (!idMarker.isEmpty() && upload.key().equals(keyMarker) && upload.id().equals(idMarker)) {
        start = i + 1;
        break;
      }
      boolean skippedPrefix =
          delimiter != null && keyMarker.endsWith(delimiter) && upload.key().startsWith(keyMarker);
      if (upload.key().compareTo(keyMarker) > 0 && !skippedPrefix && start == sorted.size()) {
        start = i;
      }
    }
    return new ArrayList<>(sorted.subList(start, sorted.size()));
  }

  private static int maxUploads(String text) {
    if (text == null) {
      return MAX_UPLOADS;
    }
    try {
      int asked = Integer.parseInt(text);
      if (asked < 0) {
        throw S3Exception.invalidArgument("max-uploads must not be negative");
      }
      return Math.min(asked, MAX_UPLOADS);
    } catch (NumberFormatException e) {
      throw S3Exception.invalidArgument("max-uploads is not a number: " + text);
    }
  }
}
