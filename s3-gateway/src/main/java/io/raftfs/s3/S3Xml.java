package io.raftfs.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Builds S3's XML answers: escaping, the namespace, timestamps in S3's ISO form. */
final class S3Xml {
  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder(512);

  private S3Xml() {}

  /** A document whose root element carries S3's namespace. */
  static S3Xml document(String root) {
    S3Xml xml = new S3Xml();
    xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.out.append('<').append(root).append(" xmlns=\"").append(NAMESPACE).append("\">");
    return xml;
  }

  static String error(S3Exception e, String resource, String requestId) {
    S3Xml xml = new S3Xml();
    xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
    return xml.element("Code", e.code())
        .element("Message", e.getMessage())
        .element("Resource", resource)
        .element("RequestId", requestId)
        .end("Error");
  }

  /**
   * An error in the AWS query protocol's form (IAM, STS): what their clients parse, where S3's
   * {@code <Error>} root would leave them with "Unknown".
   */
  static String queryError(String code, String message, String requestId) {
    S3Xml xml = new S3Xml();
    xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error>");
    xml.element("Type", "Sender").element("Code", code).element("Message", message);
    return xml.close("Error").element("RequestId", requestId).end("ErrorResponse");
  }

  S3Xml open(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  /** An ACL's {@code <Grantee>}, whose kind S3 gives as an {@code xsi:type} attribute. */
  S3Xml openGrantee(String type) {
    out.append("<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"")
        .append(type)
        .append("\">");
    return this;
  }

  S3Xml close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  S3Xml element(String name, Object value) {
    open(name);
    return text(String.valueOf(value)).close(name);
  }

  S3Xml text(String value) {
    escape(value);
    return this;
  }

  /** Closes the root element and returns the document. */
  String end(String root) {
    close(root);
    return out.toString();
  }

  static String time(long epochMillis) {
    return ISO.format(Instant.ofEpochMilli(epochMillis));
  }

  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
