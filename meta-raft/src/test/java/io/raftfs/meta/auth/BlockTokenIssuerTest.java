package io.raftfs.meta.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.BlockTokenVerifier;
import io.raftfs.auth.BlockTokens;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockKeys;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BlockTokenIssuerTest {
  private static final Duration PERIOD = Duration.ofHours(10);
  private static final Duration LIFETIME = Duration.ofMinutes(10);

  private final SettableClock clock = new SettableClock(1_800_000_000_000L);
  private final List<BlockKey> applied = new ArrayList<>();
  private final List<BlockKey> rolled = new ArrayList<>();
  private final BlockTokenIssuer issuer =
      BlockTokenIssuer.signing(
          () -> BlockKeys.newBuilder().addAllKeys(applied).build(),
          key -> {
            rolled.add(key);
            applied.add(key);
            return CompletableFuture.completedFuture(null);
          },
          clock,
          PERIOD,
          LIFETIME,
          Duration.ZERO);

  private BlockKey key(int id) {
    return applied.stream().filter(k -> k.getKeyId() == id).findFirst().orElse(null);
  }

  @Test
  void aLeaderWithoutKeysRollsOneBeforeSigning() throws Exception {
    issuer.ready().join();
    assertEquals(1, rolled.size());
    assertEquals(clock.millis() + 2 * PERIOD.toMillis(), rolled.get(0).getExpiresAtMs());
    String header =
        issuer.sign(
            42, BlockTokens.WRITER, "AKID", List.of(node("a:1", "dn-a"), node("b:2", "dn-b")));
    BlockToken token =
        new BlockTokenVerifier(this::key, clock)
            .verify(header, 42, BlockTokens.Op.WRITE, List.of("b:2"));
    assertEquals("AKID", token.getAccessKeyId());
    assertEquals("dn-b", BlockTokenVerifier.nodeIdOf(token, "b:2"), "the chain's node ids");
    assertEquals(clock.millis() + LIFETIME.toMillis(), token.getExpiryMs());
    issuer.ready().join();
    assertEquals(1, rolled.size(), "a usable key is not rolled again");
  }

  @Test
  void aNewClustersFirstKeySignsOnlyOnceDataNodesCanHaveHeardIt() {
    BlockTokenIssuer patient =
        BlockTokenIssuer.signing(
            () -> BlockKeys.newBuilder().addAllKeys(applied).build(),
            key -> {
              applied.add(key);
              return CompletableFuture.completedFuture(null);
            },
            clock,
            PERIOD,
            LIFETIME,
            Duration.ofSeconds(2));
    CompletableFuture<Void> ready = patient.ready();
    assertEquals(1, applied.size(), "the first key is rolled at once");
    assertFalse(ready.isDone(), "but placements wait while data nodes may not know it");
    assertNull(patient.sign(7, Set.of(BlockTokens.Op.READ), "", List.of()));
    clock.advance(1999);
    assertNull(patient.sign(7, Set.of(BlockTokens.Op.READ), "", List.of()));
    clock.advance(1);
    assertEquals(
        applied.get(0).getKeyId(),
        keyOf(patient.sign(7, Set.of(BlockTokens.Op.READ), "", List.of())));
    assertTrue(patient.ready().isDone());
    assertEquals(1, applied.size(), "a key that is only young is not rolled again");
  }

  @Test
  void keysRollEveryPeriodAndTokensUseTheOldestKeyThatOutlivesThem() {
    issuer.rollIfDue();
    int first = rolled.get(0).getKeyId();
    clock.advance(PERIOD.toMillis() - 1);
    issuer.rollIfDue();
    assertEquals(1, rolled.size());
    clock.advance(1);
    issuer.rollIfDue();
    assertEquals(2, rolled.size());
    int second = rolled.get(1).getKeyId();
    // The new key is not used while the old one outlives a token: nodes may not know it yet.
    assertEquals(first, keyOf(issuer.sign(1, Set.of(BlockTokens.Op.READ), "", List.of())));
    clock.advance(PERIOD.toMillis() - LIFETIME.toMillis() + 1);
    assertEquals(second, keyOf(issuer.sign(1, Set.of(BlockTokens.Op.READ), "", List.of())));
  }

  @Test
  void tokensMustLiveAtMostHalfThePeriodAndADisabledIssuerSignsNothing() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BlockTokenIssuer.signing(
                BlockKeys::getDefaultInstance,
                k -> null,
                clock,
                Duration.ofMinutes(10),
                Duration.ofMinutes(6),
                Duration.ZERO));
    BlockTokenIssuer off = BlockTokenIssuer.disabled();
    assertEquals("", off.sign(1, Set.of(BlockTokens.Op.READ), "", List.of()));
    assertTrue(off.ready().isDone());
  }

  private static int keyOf(String header) {
    return BlockTokens.fields(BlockTokens.decode(header)).getKeyId();
  }

  private static DataNodeAddress node(String address, String id) {
    return DataNodeAddress.newBuilder().setHttpAddress(address).setNodeId(id).build();
  }
}
