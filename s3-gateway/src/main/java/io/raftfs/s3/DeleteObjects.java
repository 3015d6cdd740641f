package io.raftfs.s3;

import io.raftfs.client.meta.MetaException;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.s3.body.CheckedBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

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

  void delete(S3Request request, String payloadHash) throws IOException {
    Document document = parse(request, payloadHash);
    Element root = document.getDocumentElement();
    if (!root.getLocalName().equals("Delete")) {
      throw malformed("the body is not a Delete document");
    }
    boolean quiet = "true".equals(text(root, "Quiet"));
    NodeList entries = root.getElementsByTagNameNS("*", "Object");
    if (entries.getLength() > MAX_KEYS) {
      throw malformed("more than " + MAX_KEYS + " keys");
    }
    // Each key with what it must be to be deleted.
    List<String> keys = new ArrayList<>();
    List<Objects.DeleteCondition> conditions = new ArrayList<>();
    for (int i = 0; i < entries.getLength(); i++) {
      Element entry = (Element) entries.item(i);
      String key = text(entry, "Key");
      if (key == null) {
        throw malformed("an Object without a Key");
      }
      keys.add(key);
      String size = text(entry, "Size");
      try {
        conditions.add(
            new Objects.DeleteCondition(
                text(entry, "ETag"),
                size == null ? null : Long.valueOf(size.strip()),
                Preconditions.seconds(text(entry, "LastModifiedTime"))));
      } catch (NumberFormatException e) {
        throw malformed("a Size that is no number: " + size);
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

  private static Document parse(S3Request request, String payloadHash) throws IOException {
    CheckedBody body = new CheckedBody(request.body, request::header, payloadHash);
    byte[] bytes;
    try (InputStream in = body) {
      // Fewer bytes than asked means the end was reached, and the body checked there.
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw malformed("the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      // No DTDs, no external entities: the body comes from the network.
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new ByteArrayInputStream(bytes));
    } catch (ParserConfigurationException | SAXException e) {
      throw malformed("the body is not well-formed XML");
    }
  }

  private static String text(Element parent, String name) {
    NodeList found = parent.getElementsByTagNameNS("*", name);
    return found.getLength() == 0 ? null : found.item(0).getTextContent();
  }

  private static S3Exception malformed(String message) {
    return new S3Exception(400, "MalformedXML", message);
  }
}
