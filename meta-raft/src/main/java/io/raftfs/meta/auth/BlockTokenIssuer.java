package io.raftfs.meta.auth;

import com.google.protobuf.ByteString;
import io.raftfs.auth.BlockTokens;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockKeys;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.DataNodeAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs block access tokens on the leader with the replicated block keys, and rolls a new key
 * through the log every roll period (docs/security.md). A key lives two periods, so two are valid
 * at once; a token is signed with the oldest key that outlives it, so a key rolled now is used only
 * about a period later, once every data node has learned it from heartbeat answers.
 *
 * <p>A leader with no key that outlives a token (a new cluster, or all masters down longer than a
 * key's life) rolls one first: {@link #ready} completes when it is applied.
 */
public final class BlockTokenIssuer {
  private static final Logger LOG = LoggerFactory.getLogger(BlockTokenIssuer.class);
  private static final int SECRET_BYTES = 32;

  private final boolean enabled;
  private final Supplier<BlockKeys> keys;
  private final Function<BlockKey, CompletableFuture<?>> roll;
  private final Clock clock;
  private final long rollPeriodMillis;
  private final long tokenLifetimeMillis;
  private final long propagationMillis;
  private final SecureRandom random = new SecureRandom();
  private CompletableFuture<?> rolling;

  private BlockTokenIssuer(
      boolean enabled,
      Supplier<BlockKeys> keys,
      Function<BlockKey, CompletableFuture<?>> roll,
      Clock clock,
      Duration rollPeriod,
      Duration tokenLifetime,
      Duration propagation) {
    this.enabled = enabled;
    this.keys = keys;
    this.roll = roll;
    this.clock = clock;
    this.rollPeriodMillis = rollPeriod.toMillis();
    this.tokenLifetimeMillis = tokenLifetime.toMillis();
    this.propagationMillis = propagation.toMillis();
  }

  /** Issues no tokens: the cluster runs without auth ({@code raftfs.master.auth.enabled=false}). */
  public static BlockTokenIssuer disabled() {
    return new BlockTokenIssuer(
        false,
        BlockKeys::getDefaultInstance,
        key -> null,
        Clock.systemUTC(),
        Duration.ZERO,
        Duration.ZERO,
        Duration.ZERO);
  }

  /**
   * @param keys the replicated block keys
   * @param roll appends a new key to the log; completes once applied
   * @param rollPeriod how often a new key is made; a key lives twice as long
   * @param tokenLifetime how long a token is valid, at most half the roll period
   * @param propagation how long after it was made a key may sign: data nodes learn keys from
   *     heartbeat answers, and a token under a key a node has not heard of yet is refused
   */
  public static BlockTokenIssuer signing(
      Supplier<BlockKeys> keys,
      Function<BlockKey, CompletableFuture<?>> roll,
      Clock clock,
      Duration rollPeriod,
      Duration tokenLifetime,
      Duration propagation) {
    if (tokenLifetime.multipliedBy(2).compareTo(rollPeriod) > 0) {
      throw new IllegalArgumentException("a token must live at most half the key roll period");
    }
    return new BlockTokenIssuer(true, keys, roll, clock, rollPeriod, tokenLifetime, propagation);
  }

  /** False when tokens are off: data nodes are told to serve blocks without them. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Completes when {@link #sign} can sign: at once, unless a key must be rolled first or is too new
   * for every data node to know it (a new cluster's first seconds).
   */
  public CompletableFuture<Void> ready() {
    if (!enabled || signingKey(clock.millis()) != null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?> keyMade =
        soonestSigningTime(clock.millis()) == Long.MAX_VALUE
            ? rollNow()
            : CompletableFuture.completedFuture(null);
    return keyMade.thenCompose(
        made -> {
          long wait = soonestSigningTime(clock.millis()) - clock.millis();
          return wait <= 0
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.runAsync(
                  () -> {}, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS));
        });
  }

  /** When the soonest key that outlives a token made now may sign; MAX_VALUE if there is none. */
  private long soonestSigningTime(long now) {
    long soonest = Long.MAX_VALUE;
    for (BlockKey key : keys.get().getKeysList()) {
      if (key.getExpiresAtMs() >= now + tokenLifetimeMillis) {
        soonest = Math.min(soonest, createdAt(key) + propagationMillis);
      }
    }
    return soonest;
  }

  private long createdAt(BlockKey key) {
    return key.getExpiresAtMs() - 2 * rollPeriodMillis;
  }

  /**
   * The token's header value; "" when tokens are off, null when no key outlives a token (call
   * {@link #ready} first).
   *
   * @param chain the nodes it is good on: a write's replicas in pipeline order, a read's replicas
   */
  public String sign(
      long blockId, Set<BlockTokens.Op> ops, String accessKeyId, List<DataNodeAddress> chain) {
    if (!enabled) {
      return "";
    }
    long now = clock.millis();
    BlockKey key = signingKey(now);
    if (key == null) {
      if (soonestSigningTime(now) == Long.MAX_VALUE) {
        rollNow();
      }
      return null;
    }
    return BlockTokens.sign(
        BlockToken.newBuilder()
            .setKeyId(key.getKeyId())
            .setBlockId(blockId)
            .setOps(BlockTokens.Op.bits(ops))
            .setAccessKeyId(accessKeyId)
            .setExpiryMs(now + tokenLifetimeMillis)
            .addAllChain(chain.stream().map(DataNodeAddress::getHttpAddress).toList())
            .addAllChainNodeIds(chain.stream().map(DataNodeAddress::getNodeId).toList())
            .build(),
        key);
  }

  /**
   * Rolls a key when the newest is a roll period old or there is none: run on the leader
   * periodically and when it is elected.
   */
  public void rollIfDue() {
    if (!enabled) {
      return;
    }
    long now = clock.millis();
    long newestCreated =
        keys.get().getKeysList().stream().mapToLong(this::createdAt).max().orElse(Long.MIN_VALUE);
    if (newestCreated == Long.MIN_VALUE || now - newestCreated >= rollPeriodMillis) {
      rollNow();
    }
  }

  /** The oldest key that outlives a token made now and every data node knows by now, or null. */
  private BlockKey signingKey(long now) {
    BlockKey best = null;
    for (BlockKey key : keys.get().getKeysList()) {
      if (key.getExpiresAtMs() >= now + tokenLifetimeMillis
          && now - createdAt(key) >= propagationMillis
          && (best == null || key.getExpiresAtMs() < best.getExpiresAtMs())) {
        best = key;
      }
    }
    return best;
  }

  private synchronized CompletableFuture<?> rollNow() {
    if (rolling != null && !rolling.isDone()) {
      return rolling;
    }
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    int id;
    do {
      id = random.nextInt() & Integer.MAX_VALUE;
    } while (id == 0);
    BlockKey key =
        BlockKey.newBuilder()
            .setKeyId(id)
            .setSecret(ByteString.copyFrom(secret))
            .setExpiresAtMs(clock.millis() + 2 * rollPeriodMillis)
            .build();
    LOG.info("rolling block key {}", id);
    rolling = roll.apply(key);
    return rolling;
  }
}
