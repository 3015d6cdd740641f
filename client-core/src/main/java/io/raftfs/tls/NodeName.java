package io.raftfs.tls;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a node certificate names: its role and node id, written as the subject alternative name URI
 * {@code raftfs://ROLE/ID} ({@code raftfs://datanode/3f2a...}, {@code raftfs://master/m1}). The
 * URI, not the common name, is what counts: a SAN is typed and one certificate may carry host names
 * beside it, while a CN is free text that other CAs also fill in.
 */
public record NodeName(Role role, String id) {
  private static final String SCHEME = "raftfs";
  private static final int URI_NAME = 6; // GeneralName uniformResourceIdentifier

  /**
   * What a node is; a master takes heartbeats only from data nodes, Raft only from masters. An S3
   * gateway's certificate is served to S3 clients only, which check its host names; nothing in the
   * cluster trusts it for more than any client.
   */
  public enum Role {
    MASTER,
    DATANODE,
    S3;

    /** As in the URI: {@code master}, {@code datanode}, {@code s3}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public NodeName {
    if (id.isEmpty() || !id.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("a node id is letters, digits, '.', '_', '-': " + id);
    }
  }

  /** {@code raftfs://ROLE/ID}. */
  public String uri() {
    return SCHEME + "://" + role.label() + "/" + id;
  }

  /** The node a certificate names, or empty when it names none (a client's, another CA's). */
  public static Optional<NodeName> of(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (names == null) {
      return Optional.empty();
    }
    for (List<?> name : names) {
      if (name.size() == 2 && Integer.valueOf(URI_NAME).equals(name.get(0))) {
        Optional<NodeName> node = parse(String.valueOf(name.get(1)));
        if (node.isPresent()) {
          return node;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<NodeName> parse(String text) {
    try {
      URI uri = new URI(text);
      if (!SCHEME.equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null) {
        return Optional.empty();
      }
      for (Role role : Role.values()) {
        if (role.label().equals(uri.getHost())) {
          return Optional.of(new NodeName(role, uri.getPath().replaceFirst("^/", "")));
        }
      }
      return Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return role.label() + " " + id;
  }
}
