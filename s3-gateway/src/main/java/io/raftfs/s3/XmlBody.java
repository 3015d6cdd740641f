package io.raftfs.s3;

import io.raftfs.s3.body.CheckedBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The XML document a request sends (DeleteObjects, CompleteMultipartUpload): read whole up to a
 * bound, checked against its declared length and hashes, and parsed with no DTD and no external
 * entity, since it comes from the network. Anything else is {@code 400 MalformedXML}.
 */
final class XmlBody {
  private XmlBody() {}

  /** The document {@code body} holds, of at most {@code maxBytes}. */
  static Element parse(CheckedBody body, int maxBytes, String rootName) throws IOException {
    byte[] bytes;
    try (InputStream in = body) {
      // Fewer bytes than asked means the end was reached, and the body checked there.
      bytes = in.readNBytes(maxBytes + 1);
    }
    if (bytes.length > maxBytes) {
      throw malformed("the body is larger than " + maxBytes + " bytes");
    }
    Document document;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      document = builder.parse(new ByteArrayInputStream(bytes));
    } catch (ParserConfigurationException | SAXException e) {
      throw malformed("the body is not well-formed XML");
    }
    Element root = document.getDocumentElement();
    if (!rootName.equals(root.getLocalName())) {
      throw malformed("the body is not a " + rootName + " document");
    }
    return root;
  }

  /** The text of {@code parent}'s first element {@code name} at any depth, or null. */
  static String text(Element parent, String name) {
    NodeList found = parent.getElementsByTagNameNS("*", name);
    return found.getLength() == 0 ? null : found.item(0).getTextContent();
  }

  static S3Exception malformed(String message) {
    return new S3Exception(400, "MalformedXML", message);
  }
}
