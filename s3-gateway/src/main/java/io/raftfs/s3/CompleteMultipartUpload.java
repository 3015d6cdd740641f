package io.raftfs.s3;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.meta.IsADirectoryException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.FileStatus;
import io.raftfs.s3.body.CheckedBody;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code POST /bucket/key?uploadId=ID}: checks the client's part list against the stored parts,
 * then makes the object with one {@code concat} of the masters: the parts' blocks become the
 * object's, no byte is copied, and the upload's directory goes in the same log entry. The ETag is
 * S3's multipart form, the hex MD5 of the parts' binary MD5s and {@code -N}.
 */
final class CompleteMultipartUpload {
  // 10,000 parts with their ETags and checksums in XML.
  private static final int MAX_BODY_BYTES = 4 << 20;

  private final MetaClient meta;
  private final FileSystemClient files;
  private final Buckets buckets;
  private final MultipartUploads uploads;
  private final UploadParts parts;
  private final long minPartBytes;

  CompleteMultipartUpload(
      MetaClient meta,
      FileSystemClient files,
      Buckets buckets,
      MultipartUploads uploads,
      UploadParts parts,
      long minPartBytes) {
    this.meta = meta;
    this.files = files;
    this.buckets = buckets;
    this.uploads = uploads;
    this.parts = parts;
    this.minPartBytes = minPartBytes;
  }

  /** A part as the client lists it. */
  private record Listed(int number, String etag) {}

  void complete(S3Request request, CheckedBody body) throws IOException {
    S3Names.objectPath(request.bucket, request.key);
    buckets.require(request.bucket);
    MultipartUploads.Upload upload;
    try {
      upload = uploads.open(request);
    } catch (S3Exception e) {
      if (!e.code().equals("NoSuchUpload")) {
        throw e;
      }
      answerRetry(request, body, e);
      return;
    }
    List<Listed> listed = listed(body);
    Map<Integer, FileStatus> stored = new HashMap<>();
    for (FileStatus part : parts.parts(upload)) {
      stored.put(UploadLayout.partNumberOf(part.getPath()), part);
    }
    List<String> sources = new ArrayList<>(listed.size());
    MessageDigest md5s = md5();
    for (int i = 0; i < listed.size(); i++) {
      Listed part = listed.get(i);
      FileStatus file = stored.get(part.number());
      String etag = file == null ? null : ObjectMetadata.etag(file);
      if (etag == null || !unquote(etag).equals(part.etag())) {
        throw new S3Exception(
            400,
            "InvalidPart",
            "One or more of the specified parts could not be found, or its ETag did not match:"
                + " part "
                + part.number());
      }
      if (i < listed.size() - 1 && file.getLength() < minPartBytes) {
        throw new S3Exception(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed object size: part "
                + part.number()
                + " has "
                + file.getLength()
                + " bytes, parts but the last need "
                + minPartBytes);
      }
      md5s.update(HexFormat.of().parseHex(part.etag()));
      sources.add(file.getPath());
    }
    String etag = HexFormat.of().formatHex(md5s.digest()) + "-" + listed.size();
    Map<String, String> attributes =
        ObjectMetadata.withETag(ObjectMetadata.userAttributes(upload.marker()), etag);
    FileStatus object;
    try {
      uploads.makeParents(upload.objectPath(), upload.key());
      object = files.concat(upload.objectPath(), sources, true, attributes, true);
    } catch (NotADirectoryException | PathExistsException | IsADirectoryException e) {
      throw MultipartUploads.notAPath(upload.key());
    } catch (PathNotFoundException e) {
      throw UploadLayout.noSuchUpload(upload.id()); // aborted meanwhile
    }
    answer(request, ObjectMetadata.etag(object));
  }

  /**
   * A Complete whose upload is gone: if the key holds the object these parts make (a retry of a
   * Complete that succeeded, whose answer was lost), it is answered again; else NoSuchUpload.
   */
  private void answerRetry(S3Request request, CheckedBody body, S3Exception noSuchUpload)
      throws IOException {
    List<Listed> listed = listed(body);
    MessageDigest md5s = md5();
    try {
      for (Listed part : listed) {
        md5s.update(HexFormat.of().parseHex(part.etag()));
      }
    } catch (IllegalArgumentException notHex) {
      throw noSuchUpload;
    }
    String etag = '"' + HexFormat.of().formatHex(md5s.digest()) + "-" + listed.size() + '"';
    try {
      FileStatus object = meta.stat(S3Names.objectPath(request.bucket, request.key));
      if (etag.equals(ObjectMetadata.etag(object))) {
        answer(request, etag);
        return;
      }
    } catch (PathNotFoundException | NotADirectoryException e) {
      // No such object either.
    }
    throw noSuchUpload;
  }

  private static void answer(S3Request request, String etag) {
    Answers.xml(
        request,
        200,
        S3Xml.document("CompleteMultipartUploadResult")
            .element("Location", "/" + request.bucket + "/" + request.key)
            .element("Bucket", request.bucket)
            .element("Key", request.key)
            .element("ETag", etag)
            .end("CompleteMultipartUploadResult"));
  }

  /** The body's parts: at least one, numbers ascending ({@code InvalidPartOrder} otherwise). */
  private static List<Listed> listed(CheckedBody body) throws IOException {
    Element root = XmlBody.parse(body, MAX_BODY_BYTES, "CompleteMultipartUpload");
    NodeList entries = root.getElementsByTagNameNS("*", "Part");
    if (entries.getLength() == 0) {
      throw XmlBody.malformed("the upload names no part");
    }
    if (entries.getLength() > UploadLayout.MAX_PARTS) {
      throw XmlBody.malformed("more than " + UploadLayout.MAX_PARTS + " parts");
    }
    List<Listed> listed = new ArrayList<>(entries.getLength());
    for (int i = 0; i < entries.getLength(); i++) {
      Element entry = (Element) entries.item(i);
      String number = XmlBody.text(entry, "PartNumber");
      String etag = XmlBody.text(entry, "ETag");
      if (number == null || etag == null) {
        throw XmlBody.malformed("a Part without a PartNumber or an ETag");
      }
      Listed part =
          new Listed(
              UploadLayout.partNumber(number.strip()),
              unquote(etag.strip()).toLowerCase(Locale.ROOT));
      if (!listed.isEmpty() && listed.get(listed.size() - 1).number() >= part.number()) {
        throw new S3Exception(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order: part "
                + part.number()
                + " after "
                + listed.get(listed.size() - 1).number());
      }
      listed.add(part);
    }
    return listed;
  }

  private static String unquote(String etag) {
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
