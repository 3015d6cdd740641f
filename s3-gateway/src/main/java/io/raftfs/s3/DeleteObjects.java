package io.raftfs.s3;

import io.raftfs.client.meta.MetaException;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.s3.auth.S3Signature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code POST /bucket?delete}: deletes up to 1000 keys named in an XML body, each on its own, and
 * answers which went (unless {@code Quiet}) and which failed; an {@code ETag}, {@code Size} or
 * {@code LastModifiedTime} with a key deletes it only if it matches. Clients and test suites empty
 * buckets with it; a {@code VersionId} of {@code null} names the one version raftfs keeps.
 */
final class DeleteObjects {
  static final int MAX_KEYS = 1000;
  // 1000 keys of 1024 bytes with their XML: S3 allows no more.
  private static final int MAX_BODY_BYTES = 2 << 20;

  private final Objects objects;

  DeleteObjects(Objects objects) {
    this.objects = objects;
  }

  void delete(S3Request request, S3Signature signature) throws IOException {
    Element root = XmlBody.parse(objects.checkedBody(request, signature), MAX_BODY_BYTES, "Delete");
    boolean quiet = "true".equals(XmlBody.text(root, "Quiet"));
    NodeList entries = root.getElementsByTagNameNS("*", "Object");
    if (entries.getLength() > MAX_KEYS) {
      throw XmlBody.malformed("more than " + MAX_KEYS + " keys");
    }
    // Each key with what it must be to be deleted.
    List<String> keys = new ArrayList<>();
    List<Objects.DeleteCondition> conditions = new ArrayList<>();
    for (int i = 0; i < entries.getLength(); i++) {
      Element entry = (Element) entries.item(i);
      String key = XmlBody.text(entry, "Key");
      if (key == null) {
        throw XmlBody.malformed("an Object without a Key");
      }
      keys.add(key);
      String size = XmlBody.text(entry, "Size");
      try {
        conditions.add(
            new Objects.DeleteCondition(
                XmlBody.text(entry, "ETag"),
                size == null ? null : Long.valueOf(size.strip()),
                Preconditions.seconds(XmlBody.text(entry, "LastModifiedTime"))));
      } catch (NumberFormatException e) {
        throw XmlBody.malformed("a Size that is no number: " + size);
      }
    }
    S3Xml xml = S3Xml.document("DeleteResult");
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      try {
        objects.delete(request.bucket, key, conditions.get(i));
        if (!quiet) {
          xml.open("Deleted").element("Key", key).close("Deleted");
        }
      } catch (S3Exception e) {
        error(xml, key, e.code(), e.getMessage());
      } catch (PermissionDeniedException e) {
        error(xml, key, "AccessDenied", e.getMessage());
      } catch (MetaException e) {
        error(xml, key, "InternalError", e.getMessage());
      }
    }
    Answers.xml(request, 200, xml.end("DeleteResult"));
  }

  private static void error(S3Xml xml, String key, String code, String message) {
    xml.open("Error")
        .element("Key", key)
        .element("Code", code)
        .element("Message", message)
        .close("Error");
  }
}
