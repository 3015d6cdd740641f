package io.raftfs.s3;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.FileStatus;
import io.raftfs.s3.auth.S3Signature;
import io.raftfs.s3.body.CheckedBody;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * UploadPart, UploadPartCopy and ListParts. A part is a file of the upload's directory, written
 * exactly as PutObject writes an object (streamed; length, hashes and checksums checked before the
 * commit) and replacing a part of the same number, with its ETag (the hex MD5) as an attribute.
 */
final class UploadParts {
  private static final int MAX_PARTS_LISTED = 1000;

  private final MetaClient meta;
  private final FileSystemClient files;
  private final MultipartUploads uploads;
  private final Objects objects;
  private final ExecutorService copyReaders;
  private final PutOptions partOptions;

  UploadParts(
      MetaClient meta,
      FileSystemClient files,
      MultipartUploads uploads,
      Objects objects,
      ExecutorService copyReaders,
      int replication) {
    this.meta = meta;
    this.files = files;
    this.uploads = uploads;
    this.objects = objects;
    this.copyReaders = copyReaders;
    this.partOptions = new PutOptions(replication, PutOptions.DEFAULT_BLOCK_SIZE, true);
  }

  /** PUT /bucket/key?partNumber=N&uploadId=ID. */
  void upload(S3Request request, S3Signature signature) throws IOException {
    MultipartUploads.Upload upload = uploads.open(request);
    int number = UploadLayout.partNumber(request.query.get("partNumber"));
    CheckedBody body = objects.checkedBody(request, signature);
    store(upload, number, body, () -> ObjectMetadata.withETag(Map.of(), body.md5Hex()));
    request.response().putHeader("ETag", '"' + body.md5Hex() + '"');
    Answers.empty(request, 200);
  }

  /**
   * PUT /bucket/key?partNumber=N&uploadId=ID with {@code x-amz-copy-source} and an optional {@code
   * x-amz-copy-source-range: bytes=first-last}: that range of the source object, streamed into the
   * part by the gateway.
   */
  void copy(S3Request request) throws IOException {
    MultipartUploads.Upload upload = uploads.open(request);
    int number = UploadLayout.partNumber(request.query.get("partNumber"));
    CopySource source = CopySource.of(request);
    BlockLocations file = objects.locate(source.bucket(), source.key());
    long size = file.getStatus().getLength();
    long first = 0;
    long length = size;
    String range = request.header("x-amz-copy-source-range");
    if (range != null) {
      long[] bounds = copyRange(range, size);
      first = bounds[0];
      length = bounds[1] - bounds[0] + 1;
    }
    FileStatus part =
        CopySource.copy(
            files,
            copyReaders,
            file,
            first,
            length,
            body ->
                store(
                    upload, number, body, () -> ObjectMetadata.withETag(Map.of(), body.md5Hex())));
    Answers.xml(
        request,
        200,
        S3Xml.document("CopyPartResult")
            .element("LastModified", S3Xml.time(part.getMtimeMillis()))
            .element("ETag", ObjectMetadata.etag(part))
            .end("CopyPartResult"));
  }

  /** {@code bytes=first-last} within an object of {@code size} bytes, as S3 requires it. */
  private static long[] copyRange(String header, long size) {
    String spec = header.strip();
    int dash = spec.indexOf('-');
    if (spec.startsWith("bytes=") && dash > 0) {
      try {
        long first = Long.parseLong(spec.substring("bytes=".length(), dash).strip());
        long last = Long.parseLong(spec.substring(dash + 1).strip());
        if (first >= 0 && first <= last && last < size) {
          return new long[] {first, last};
        }
        if (first >= 0 && first <= last) {
          // Well formed but past the source's end: S3's InvalidRange, as for a ranged GET.
          throw new S3Exception(
              416,
              "InvalidRange",
              "x-amz-copy-source-range "
                  + header
                  + " is not within the source's "
                  + size
                  + " bytes");
        }
      } catch (NumberFormatException e) {
        // Answered below.
      }
    }
    throw S3Exception.invalidArgument(
        "x-amz-copy-source-range must be bytes=first-last within the source's "
            + size
            + " bytes: "
            + header);
  }

  private FileStatus store(
      MultipartUploads.Upload upload,
      int number,
      InputStream in,
      Supplier<Map<String, String>> attributes)
      throws IOException {
    String path = UploadLayout.part(upload.directory(), number);
    try {
      return files.put(in, path, partOptions, attributes, TransferListener.NONE);
    } catch (PathNotFoundException e) {
      throw UploadLayout.noSuchUpload(upload.id()); // completed or aborted meanwhile
    }
  }

  /** GET /bucket/key?uploadId=ID, with {@code max-parts} and {@code part-number-marker}. */
  void list(S3Request request) {
    MultipartUploads.Upload upload = uploads.open(request);
    int maxParts =
        Math.min(
            nonNegative("max-parts", request.query.get("max-parts"), MAX_PARTS_LISTED),
            MAX_PARTS_LISTED);
    int marker = nonNegative("part-number-marker", request.query.get("part-number-marker"), 0);
    List<FileStatus> parts = parts(upload);
    parts.removeIf(part -> UploadLayout.partNumberOf(part.getPath()) <= marker);
    boolean truncated = parts.size() > maxParts;
    List<FileStatus> page = truncated ? parts.subList(0, maxParts) : parts;
    S3Xml xml = S3Xml.document("ListPartsResult");
    xml.element("Bucket", upload.bucket())
        .element("Key", upload.key())
        .element("UploadId", upload.id());
    MultipartUploads.owner(xml, "Initiator", upload.marker().getOwner());
    MultipartUploads.owner(xml, "Owner", upload.marker().getOwner());
    xml.element("StorageClass", "STANDARD")
        .element("PartNumberMarker", marker)
        .element("MaxParts", maxParts)
        .element("IsTruncated", truncated);
    if (!page.isEmpty()) {
      xml.element(
          "NextPartNumberMarker", UploadLayout.partNumberOf(page.get(page.size() - 1).getPath()));
    }
    for (FileStatus part : page) {
      xml.open("Part")
          .element("PartNumber", UploadLayout.partNumberOf(part.getPath()))
          .element("LastModified", S3Xml.time(part.getMtimeMillis()))
          .element("ETag", ObjectMetadata.etag(part))
          .element("Size", part.getLength())
          .close("Part");
    }
    Answers.xml(request, 200, xml.end("ListPartsResult"));
  }

  /** The upload's parts, read as the user, by number. */
  List<FileStatus> parts(MultipartUploads.Upload upload) {
    List<FileStatus> parts = new ArrayList<>();
    try {
      for (FileStatus entry : meta.list(upload.directory())) {
        if (!entry.getDirectory()
            && UploadLayout.partNumberOf(entry.getPath()) > 0
            && ObjectMetadata.etag(entry) != null) {
          parts.add(entry);
        }
      }
    } catch (PathNotFoundException e) {
      throw UploadLayout.noSuchUpload(upload.id());
    }
    parts.sort(Comparator.comparingInt(part -> UploadLayout.partNumberOf(part.getPath())));
    return parts;
  }

  private static int nonNegative(String name, String text, int absent) {
    if (text == null) {
      return absent;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw S3Exception.invalidArgument(name + " must be a number of at least 0: " + text);
  }
}
