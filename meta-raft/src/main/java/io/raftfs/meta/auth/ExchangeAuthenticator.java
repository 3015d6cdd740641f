package io.raftfs.meta.auth;

import io.raftfs.auth.AuthenticationException;
import io.raftfs.auth.SignatureVerifier;
import io.raftfs.auth.SigningScope;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides whether a master serves an exchange of metadata requests ({@code POST /v1/meta}), and for
 * whom: it must be signed by a known access key ({@link AccessKeys}). Data nodes' own reports
 * (registration, bad replicas) come unsigned: over TLS each must come with the client certificate
 * of the node it names ({@link NodeCertificates}); without TLS the masters accept them only from
 * the node's registered host (docs/security.md).
 */
public final class ExchangeAuthenticator {
  private static final Set<MetaRequest.OpCase> NODE_OPERATIONS =
      Set.of(MetaRequest.OpCase.REGISTER_DATA_NODE, MetaRequest.OpCase.REPORT_BAD_REPLICA);

  private final AccessKeys keys;
  private final SignatureVerifier verifier;
  private final boolean nodeCertificates;

  private ExchangeAuthenticator(
      AccessKeys keys, SignatureVerifier verifier, boolean nodeCertificates) {
    this.keys = keys;
    this.verifier = verifier;
    this.nodeCertificates = nodeCertificates;
  }

  /** Serves everyone: {@code raftfs.master.auth.enabled=false}. */
  public static ExchangeAuthenticator open() {
    return new ExchangeAuthenticator(null, null, false);
  }

  /** Serves exchanges signed by one of {@code keys} within {@code clockSkew} of {@code clock}. */
  public static ExchangeAuthenticator signedBy(AccessKeys keys, Clock clock, Duration clockSkew) {
    return new ExchangeAuthenticator(
        keys, new SignatureVerifier(keys::secretOf, SigningScope.RAFTFS, clock, clockSkew), false);
  }

  /**
   * The same, but unsigned node reports need the named node's certificate (TLS is on), whether auth
   * is on or not.
   */
  public ExchangeAuthenticator requiringNodeCertificates() {
    return new ExchangeAuthenticator(keys, verifier, true);
  }

  /**
   * Passes an exchange that may be served, returning who signed it ({@link Identity#UNSIGNED} when
   * nobody did).
   *
   * @param header the request's header of a name, or null
   * @param peerChain the connection's client certificates (empty without TLS or without one)
   * @throws AuthenticationException with the one-line reason to answer with 401
   * @throws NodeCertificateException with the one-line reason to answer with 403
   */
  public Identity check(
      String method,
      String path,
      String rawQuery,
      Function<String, String> header,
      byte[] body,
      MetaRequestList requests,
      List<Certificate> peerChain)
      throws AuthenticationException, NodeCertificateException {
    boolean unsigned = header.apply("Authorization") == null;
    if (unsigned && nodeCertificates && onlyNodeOperations(requests)) {
      for (MetaRequest request : requests.getRequestsList()) {
        NodeCertificates.requireDataNode(peerChain, nodeId(request));
      }
      return Identity.UNSIGNED;
    }
    if (verifier == null) {
      return Identity.UNSIGNED;
    }
    if (unsigned && onlyNodeOperations(requests)) {
      return Identity.UNSIGNED;
    }
    String keyId = verifier.verify(method, path, rawQuery == null ? "" : rawQuery, header, body);
    Identity identity = keys.identityOf(keyId);
    if (identity == null) {
      // Removed between the signature check and now.
      throw new AuthenticationException("unknown access key " + keyId, true);
    }
    return identity;
  }

  private static String nodeId(MetaRequest request) {
    return request.getOpCase() == MetaRequest.OpCase.REGISTER_DATA_NODE
        ? request.getRegisterDataNode().getNodeId()
        : request.getReportBadReplica().getNodeId();
  }

  private static boolean onlyNodeOperations(MetaRequestList requests) {
    return requests.getRequestsCount() > 0
        && requests.getRequestsList().stream()
            .allMatch(request -> NODE_OPERATIONS.contains(request.getOpCase()));
  }
}
