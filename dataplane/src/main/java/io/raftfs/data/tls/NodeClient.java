package io.raftfs.data.tls;

import io.raftfs.tls.NodeName;
import io.raftfs.tls.WrongNodeException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.RequestOptions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The data node's HTTP client to other data nodes (a chain's next node, a leader-ordered copy's
 * target, the replicas of a failed chain): over TLS a request goes out only on a connection whose
 * server certificate names a data node, and the one meant when its id is known (from the block
 * token or the leader's command). The handshake already checked the CA and the host; the node the
 * certificate names is read once per connection and kept while the connection lives (connections
 * are pooled), so each request costs a map lookup and a string comparison.
 */
public final class NodeClient {
  private final HttpClient http;
  private final boolean tls;
  // Weak keys: a closed connection the pool dropped leaves with its entry.
  private final Map<HttpConnection, NodeName> peers =
      Collections.synchronizedMap(new WeakHashMap<>());

  private NodeClient(HttpClient http, boolean tls) {
    this.http = http;
    this.tls = tls;
  }

  /** Over {@code http} made with {@link NodeTls#client}: every peer is checked. */
  public static NodeClient overTls(HttpClient http) {
    return new NodeClient(http, true);
  }

  /** Over a plaintext {@code http}: nobody can be checked, nothing is. */
  public static NodeClient plaintext(HttpClient http) {
    return new NodeClient(http, false);
  }

  /**
   * A request to {@code options}' server, on a connection to data node {@code nodeId}; a failed
   * future with a {@link WrongNodeException} (the request reset) when the certificate names another
   * node.
   *
   * @param nodeId the node meant; empty: any data node
   */
  public Future<HttpClientRequest> request(RequestOptions options, String nodeId) {
    return http.request(options).compose(request -> require(request, nodeId));
  }

  private Future<HttpClientRequest> require(HttpClientRequest request, String nodeId) {
    if (!tls) {
      return Future.succeededFuture(request);
    }
    HttpConnection connection = request.connection();
    NodeName peer = peers.computeIfAbsent(connection, NodeClient::nameOf);
    boolean meant =
        peer != null
            && peer.role() == NodeName.Role.DATANODE
            && (nodeId.isEmpty() || peer.id().equals(nodeId));
    if (meant) {
      return Future.succeededFuture(request);
    }
    String address = String.valueOf(connection.remoteAddress());
    request.reset();
    return Future.failedFuture(
        new WrongNodeException(
            address, nodeId.isEmpty() ? "a datanode" : "datanode " + nodeId, peer));
  }

  private static NodeName nameOf(HttpConnection connection) {
    try {
      List<Certificate> chain = connection.peerCertificates();
      return chain.isEmpty() || !(chain.get(0) instanceof X509Certificate certificate)
          ? null
          : NodeName.of(certificate).orElse(null);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** Closes the connections. */
  public Future<Void> close() {
    return http.close();
  }
}
