package io.raftfs.s3;

import io.raftfs.client.meta.MetaException;
import io.raftfs.s3.auth.S3Signature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code POST /bucket?delete}: deletes up to 1000 keys named in an XML body, each on its own, and
 * answers which went (unless {@code Quiet}) and which failed. Clients and test suites empty buckets
 * with it; a {@code VersionId} of {@code null} names the one version raftfs keeps.
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
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < entries.getLength(); i++) {
      String key = XmlBody.text((Element) entries.item(i), "Key");
      if (key == null) {
        throw XmlBody.malformed("an Object without a Key");
      }
      keys.add(key);
    }
    S3Xml xml = S3Xml.document("DeleteResult");
    for (String key : keys) {
      try {
        objects.delete(request.bucket, key);
        if (!quiet) {
          xml.open("Deleted").element("Key", key).close("Deleted");
        }
      } catch (S3Exception e) {
        error(xml, key, e.code(), e.getMessage());
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
