package io.raftfs.data.access;

import io.raftfs.auth.BlockTokenException;
import io.raftfs.auth.BlockTokenVerifier;
import io.raftfs.auth.BlockTokens.Op;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockKeys;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.HeartbeatResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this node serves a block request: with masters, only with a block access token signed by
 * a block key the masters sent (docs/security.md), unless they say tokens are off.
 *
 * <p>The keys are the union of the latest set each master sent, as with the registered nodes
 * ({@code ForwardTargets}): every master's set is a committed state of the same log, and a key
 * rolled by the leader is known as soon as any master that applied it answered. A key is dropped
 * when the node's clock passes its expiry. Tokens are off only while every master that answered
 * says so ({@code raftfs.master.auth.enabled=false} on the masters): the data nodes need no setting
 * of their own.
 *
 * <p>Until a master answered, a request without a token (or with a malformed one) is refused with
 * 401 as always, and any other as unavailable (503, "retry"): the node cannot tell a good token
 * yet. A node without masters (unit tests, {@code bench/data}) serves everyone: nobody could send
 * it keys, and it serves no cluster whose blocks it could give away. Thread-safe: masters' answers
 * arrive on their links' threads, requests on event loops.
 */
public final class BlockAccess {
  private final boolean open;
  private final Clock clock;
  private final Map<String, BlockKeys> keysByMaster = new ConcurrentHashMap<>();
  private final Map<String, Boolean> disabledByMaster = new ConcurrentHashMap<>();
  private final BlockTokenVerifier verifier;
  private volatile Map<Integer, BlockKey> keys = Map.of();

  private BlockAccess(boolean open, Clock clock) {
    this.open = open;
    this.clock = clock;
    this.verifier = new BlockTokenVerifier(this::key, clock);
  }

  /** For a node without masters: serves every request. */
  public static BlockAccess open() {
    return new BlockAccess(true, Clock.systemUTC());
  }

  /** For a node with masters: nothing until a master answered, then what its tokens allow. */
  public static BlockAccess fromMasters(Clock clock) {
    return new BlockAccess(false, clock);
  }

  /** The version of the keys {@code master} last sent; 0 if none. */
  public long version(String master) {
    BlockKeys sent = keysByMaster.get(master);
    return sent == null ? 0 : sent.getVersion();
  }

  /** Takes what a master that believes this node answered. */
  public synchronized void update(String master, HeartbeatResponse answer) {
    disabledByMaster.put(master, answer.getBlockTokensDisabled());
    if (answer.hasBlockKeys()) {
      keysByMaster.put(master, answer.getBlockKeys());
      Map<Integer, BlockKey> union = new HashMap<>();
      keysByMaster
          .values()
          .forEach(sent -> sent.getKeysList().forEach(k -> union.put(k.getKeyId(), k)));
      keys = Map.copyOf(union);
    }
  }

  private BlockKey key(int keyId) {
    BlockKey key = keys.get(keyId);
    return key == null || key.getExpiresAtMs() < clock.millis() ? null : key;
  }

  /**
   * Passes when the request may be served.
   *
   * @param token the request's token header, or null
   * @param chainFromHere see {@link BlockTokenVerifier#verify}
   * @return the token's fields; the default instance (no chain) when tokens are not checked
   * @throws BlockTokenException with the status to answer: 401, 403, or 503 before any master
   *     answered
   */
  public BlockToken check(String token, long blockId, Op op, List<String> chainFromHere)
      throws BlockTokenException {
    if (open) {
      return BlockToken.getDefaultInstance();
    }
    if (disabledByMaster.isEmpty()) {
      try {
        verifier.verify(token, blockId, op, chainFromHere);
      } catch (BlockTokenException e) {
        if (e.status() == 401) {
          throw e; // no token, or not one: refused whatever the masters will say
        }
      }
      throw new BlockTokenException(
          503, "this node has not yet learned the block keys from a master; retry");
    }
    if (!disabledByMaster.containsValue(false)) {
      return BlockToken.getDefaultInstance();
    }
    return verifier.verify(token, blockId, op, chainFromHere);
  }
}
