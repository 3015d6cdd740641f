package io.raftfs.auth;

import io.raftfs.auth.BlockTokens.Op;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.SignedBlockToken;
import io.raftfs.protocol.DataNodeProtocol;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Checks a block access token on a data node: signed with a block key the node knows, not expired
 * by the node's clock, and for this block, this operation and this node (a read or a delete: a node
 * the token's chain names; a write: this place in the chain), so a token given for one node is
 * refused by every other. Every refusal is a {@link BlockTokenException} with the status to answer:
 * 401 when there is no token or it is not one, 403 when it does not allow the request.
 *
 * <pre>{@code
 * BlockTokenVerifier verifier = new BlockTokenVerifier(keyRing::key, Clock.systemUTC());
 * verifier.verify(request.getHeader(DataNodeProtocol.BLOCK_TOKEN), 42, Op.WRITE, chainFromHere);
 * }</pre>
 */
public final class BlockTokenVerifier {
  /** How every refusal of an expired token begins, so clients can tell it from the others. */
  public static final String EXPIRED = "block token expired";

  private final IntFunction<BlockKey> keys;
  private final Clock clock;

  /**
   * @param keys the valid block key of an id, or null
   * @param clock the node's clock, for expiry
   */
  public BlockTokenVerifier(IntFunction<BlockKey> keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * Returns the token's fields if it allows {@code op} on {@code blockId}.
   *
   * @param header the header's value, or null if absent
   * @param chainFromHere for a write: this node's address followed by the request's pipeline, which
   *     must be a suffix of the token's chain; for a read or a delete: this node's address, which
   *     the chain must name
   */
  public BlockToken verify(String header, long blockId, Op op, List<String> chainFromHere)
      throws BlockTokenException {
    if (header == null || header.isEmpty()) {
      throw new BlockTokenException(401, "no block token (" + DataNodeProtocol.BLOCK_TOKEN + ")");
    }
    SignedBlockToken signed;
    BlockToken token;
    try {
      signed = BlockTokens.decode(header);
      token = BlockTokens.fields(signed);
    } catch (IllegalArgumentException e) {
      throw new BlockTokenException(401, "malformed block token: " + e.getMessage());
    }
    BlockKey key = keys.apply(token.getKeyId());
    if (key == null) {
      throw new BlockTokenException(
          403, "block token signed with unknown or expired block key " + token.getKeyId());
    }
    if (!BlockTokens.signedBy(signed, key)) {
      throw new BlockTokenException(403, "block token signature does not match (forged?)");
    }
    long now = clock.millis();
    if (now > token.getExpiryMs()) {
      throw new BlockTokenException(
          403,
          EXPIRED + " at " + Instant.ofEpochMilli(token.getExpiryMs()) + "; ask for a new one");
    }
    if (token.getBlockId() != blockId) {
      throw new BlockTokenException(
          403,
          "block token is for block "
              + Long.toUnsignedString(token.getBlockId())
              + ", not "
              + Long.toUnsignedString(blockId));
    }
    if (!op.allowedBy(token.getOps())) {
      throw new BlockTokenException(403, "block token does not allow " + op);
    }
    if (op != Op.WRITE && !token.getChainList().contains(chainFromHere.get(0))) {
      throw new BlockTokenException(
          403, "block token's chain " + token.getChainList() + " does not name " + chainFromHere);
    }
    if (op == Op.WRITE && !isSuffix(chainFromHere, token.getChainList())) {
      throw new BlockTokenException(
          403,
          "block token's chain " + token.getChainList() + " does not end with " + chainFromHere);
    }
    return token;
  }

  /**
   * The node id a verified token gives for {@code address}, one of its chain's; empty when it names
   * none (a token from before node ids were added, or an address not in its chain).
   */
  public static String nodeIdOf(BlockToken token, String address) {
    int index = token.getChainList().indexOf(address);
    return index < 0 || index >= token.getChainNodeIdsCount() ? "" : token.getChainNodeIds(index);
  }

  private static boolean isSuffix(List<String> suffix, List<String> chain) {
    int start = chain.size() - suffix.size();
    return !suffix.isEmpty() && start >= 0 && chain.subList(start, chain.size()).equals(suffix);
  }
}
