package io.raftfs.meta.auth;

import io.raftfs.auth.AuthenticationException;
import io.raftfs.auth.EndUserProofVerifier;
import io.raftfs.auth.SignatureVerifier;
import io.raftfs.auth.SigningScope;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.EndUserProof;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

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
  private final EndUserProofVerifier endUsers;
  private final Predicate<String> superuser;
  private final NodeCertificates nodeCertificates; // null: TLS off, no certificates to check

  private ExchangeAuthenticator(
      AccessKeys keys,
      SignatureVerifier verifier,
      EndUserProofVerifier endUsers,
      Predicate<String> superuser,
      NodeCertificates nodeCertificates) {
    this.keys = keys;
    this.verifier = verifier;
    this.endUsers = endUsers;
    this.superuser = superuser;
    this.nodeCertificates = nodeCertificates;
  }

  /** Serves everyone: {@code raftfs.master.auth.enabled=false}. */
  public static ExchangeAuthenticator open() {
    return new ExchangeAuthenticator(null, null, null, user -> true, null);
  }

  /**
   * Serves exchanges signed by one of {@code keys} within {@code clockSkew} of {@code clock}; end
   * users' proofs only in exchanges of a user for whom {@code superuser} holds.
   */
  public static ExchangeAuthenticator signedBy(
      AccessKeys keys, Clock clock, Duration clockSkew, Predicate<String> superuser) {
    return new ExchangeAuthenticator(
        keys,
        new SignatureVerifier(keys::secretOf, SigningScope.RAFTFS, clock, clockSkew),
        new EndUserProofVerifier(keys::secretOf, clock, clockSkew),
        superuser,
        null);
  }

  /**
   * The same, but unsigned node reports need the named node's certificate (TLS is on), whether auth
   * is on or not.
   */
  public ExchangeAuthenticator requiringNodeCertificates(NodeCertificates certificates) {
    return new ExchangeAuthenticator(keys, verifier, endUsers, superuser, certificates);
  }

  /**
   * The verifier of end users' proofs, which also derives their signing keys ({@code signing_key});
   * null when nothing is checked (auth off).
   */
  public EndUserProofVerifier endUserProofs() {
    return endUsers;
  }

  /**
   * Who a request of an exchange signed by {@code exchange} runs as: the end user whose S3
   * signature it carries ({@code MetaRequest.end_user}, forwarded by an S3 gateway), else the
   * exchange's signer. Only a superuser's exchange may carry a proof: a gateway holds such a key,
   * and an ordinary user could otherwise replay a captured proof as its victim within the clock
   * skew. With auth off the proof is not checked, as nothing is.
   *
   * @throws AuthenticationException with the one-line reason the proof is refused
   */
  public Identity actingAs(Identity exchange, MetaRequest request) throws AuthenticationException {
    if (!request.hasEndUser() || endUsers == null) {
      return exchange;
    }
    if (!superuser.test(exchange.user())) {
      throw new AuthenticationException(
          "only a superuser's exchange may carry an end user's proof, not " + exchange.user());
    }
    EndUserProof proof = request.getEndUser();
    String keyId = endUsers.verify(proof);
    Identity endUser = keys.identityOf(keyId);
    if (endUser == null) {
      throw new AuthenticationException("unknown access key " + keyId, true);
    }
    return endUser;
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
    if (unsigned && nodeCertificates != null && onlyNodeOperations(requests)) {
      for (MetaRequest request : requests.getRequestsList()) {
        nodeCertificates.requireDataNode(peerChain, nodeId(request));
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
