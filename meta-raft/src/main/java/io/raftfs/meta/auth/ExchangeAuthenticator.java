package io.raftfs.meta.auth;

import io.raftfs.auth.AuthenticationException;
import io.raftfs.auth.EndUserProofVerifier;
import io.raftfs.auth.SignatureVerifier;
import io.raftfs.auth.SigningScope;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.EndUserProof;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides whether a master serves an exchange of metadata requests ({@code POST /v1/meta}), and for
 * whom: it must be signed by a known access key ({@link AccessKeys}). Data nodes' own reports
 * (registration, bad replicas) may come unsigned: the masters accept them only from the node's
 * registered host, and node certificates will authenticate them (docs/security.md).
 */
public final class ExchangeAuthenticator {
  private static final Set<MetaRequest.OpCase> NODE_OPERATIONS =
      Set.of(MetaRequest.OpCase.REGISTER_DATA_NODE, MetaRequest.OpCase.REPORT_BAD_REPLICA);

  private final AccessKeys keys;
  private final SignatureVerifier verifier;
  private final EndUserProofVerifier endUsers;
  private final Predicate<String> superuser;

  private ExchangeAuthenticator(
      AccessKeys keys,
      SignatureVerifier verifier,
      EndUserProofVerifier endUsers,
      Predicate<String> superuser) {
    this.keys = keys;
    this.verifier = verifier;
    this.endUsers = endUsers;
    this.superuser = superuser;
  }

  /** Serves everyone: {@code raftfs.master.auth.enabled=false}. */
  public static ExchangeAuthenticator open() {
    return new ExchangeAuthenticator(null, null, null, user -> true);
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
        superuser);
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
    String keyId =
        endUsers.verify(proof.getAccessKeyId(), proof.getStringToSign(), proof.getSignature());
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
   * @throws AuthenticationException with the one-line reason to answer with 401
   */
  public Identity check(
      String method,
      String path,
      String rawQuery,
      Function<String, String> header,
      byte[] body,
      MetaRequestList requests)
      throws AuthenticationException {
    if (verifier == null) {
      return Identity.UNSIGNED;
    }
    if (header.apply("Authorization") == null && onlyNodeOperations(requests)) {
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

  private static boolean onlyNodeOperations(MetaRequestList requests) {
    return requests.getRequestsCount() > 0
        && requests.getRequestsList().stream()
            .allMatch(request -> NODE_OPERATIONS.contains(request.getOpCase()));
  }
}
