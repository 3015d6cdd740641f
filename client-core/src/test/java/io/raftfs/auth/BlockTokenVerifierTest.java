package io.raftfs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftfs.auth.BlockTokens.Op;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.SignedBlockToken;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockTokenVerifierTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final BlockKey KEY = key(7, (byte) 1);
  private static final BlockKey OTHER = key(8, (byte) 2);
  private static final List<String> CHAIN = List.of("a:1", "b:2", "c:3");

  private final BlockTokenVerifier verifier =
      new BlockTokenVerifier(
          Map.of(7, KEY, 8, OTHER)::get, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

  private static BlockKey key(int id, byte fill) {
    byte[] secret = new byte[32];
    java.util.Arrays.fill(secret, fill);
    return BlockKey.newBuilder()
        .setKeyId(id)
        .setSecret(ByteString.copyFrom(secret))
        .setExpiresAtMs(NOW + 3_600_000)
        .build();
  }

  private static BlockToken.Builder token(int ops) {
    return BlockToken.newBuilder()
        .setKeyId(7)
        .setBlockId(42)
        .setOps(ops)
        .setAccessKeyId("AKIDEXAMPLE")
        .setExpiryMs(NOW + 1000)
        .addAllChain(CHAIN);
  }

  private int refused(String header, long blockId, Op op, List<String> chain) {
    return assertThrows(
            BlockTokenException.class, () -> verifier.verify(header, blockId, op, chain))
        .status();
  }

  private String reason(String header, long blockId, Op op, List<String> chain) {
    return assertThrows(
            BlockTokenException.class, () -> verifier.verify(header, blockId, op, chain))
        .getMessage();
  }

  @Test
  void aWriteTokenAllowsEveryNodeOfItsChainWithTheRestAsPipeline() throws Exception {
    String header = BlockTokens.sign(token(Op.WRITE.bit()).build(), KEY);
    assertEquals(42, verifier.verify(header, 42, Op.WRITE, CHAIN).getBlockId());
    verifier.verify(header, 42, Op.WRITE, List.of("b:2", "c:3"));
    verifier.verify(header, 42, Op.WRITE, List.of("c:3"));
  }

  @Test
  void aWriteTokenRefusesANodeOrPipelineItDoesNotName() {
    String header = BlockTokens.sign(token(Op.WRITE.bit()).build(), KEY);
    assertEquals(403, refused(header, 42, Op.WRITE, List.of("x:9")));
    assertEquals(403, refused(header, 42, Op.WRITE, List.of("b:2", "x:9")));
    assertEquals(403, refused(header, 42, Op.WRITE, List.of("a:1", "c:3")));
    assertEquals(403, refused(header, 42, Op.WRITE, List.of("x:9", "a:1", "b:2", "c:3")));
  }

  @Test
  void aWritersTokenDeletesOnlyOnTheNodesOfItsChain() throws Exception {
    String writer = BlockTokens.sign(token(Op.bits(BlockTokens.WRITER)).build(), KEY);
    verifier.verify(writer, 42, Op.DELETE, List.of("b:2"));
    assertEquals(403, refused(writer, 42, Op.DELETE, List.of("x:9")));
    String write = BlockTokens.sign(token(Op.WRITE.bit()).build(), KEY);
    assertEquals(403, refused(write, 42, Op.DELETE, List.of("b:2")));
  }

  @Test
  void missingOrMalformedTokensAre401() {
    assertEquals(401, refused(null, 42, Op.READ, List.of()));
    assertEquals(401, refused("", 42, Op.READ, List.of()));
    assertEquals(401, refused("!!not base64!!", 42, Op.READ, List.of()));
    assertEquals(401, refused("AAAA", 42, Op.READ, List.of()));
    assertEquals(401, refused("x".repeat(BlockTokens.MAX_HEADER_CHARS + 1), 42, Op.READ, null));
  }

  @Test
  void expiredAnotherBlockAnotherOperationUnknownKeyOrForgedAre403() {
    String read = BlockTokens.sign(token(Op.READ.bit()).build(), KEY);
    assertEquals(403, refused(read, 43, Op.READ, List.of("a:1")));
    assertEquals(403, refused(read, 42, Op.WRITE, CHAIN));
    String expired = BlockTokens.sign(token(Op.READ.bit()).setExpiryMs(NOW - 1).build(), KEY);
    assertTrue(
        reason(expired, 42, Op.READ, List.of("a:1")).startsWith(BlockTokenVerifier.EXPIRED),
        reason(expired, 42, Op.READ, List.of("a:1")));
    String unknown = BlockTokens.sign(token(Op.READ.bit()).setKeyId(9).build(), key(9, (byte) 3));
    assertEquals(403, refused(unknown, 42, Op.READ, List.of("a:1")));
    // Signed with another key than the one it names: the HMAC does not match.
    SignedBlockToken honest =
        BlockTokens.decode(BlockTokens.sign(token(Op.READ.bit()).setKeyId(8).build(), OTHER));
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                honest.toBuilder()
                    .setToken(token(Op.READ.bit()).setBlockId(43).build().toByteString())
                    .build()
                    .toByteArray());
    assertEquals(
        "block token signature does not match (forged?)", reason(forged, 43, Op.READ, null));
  }

  @Test
  void aTokenIsValidUpToItsExpiryMillisecond() throws Exception {
    String header = BlockTokens.sign(token(Op.READ.bit()).setExpiryMs(NOW).build(), KEY);
    verifier.verify(header, 42, Op.READ, List.of("a:1"));
  }

  @Test
  void aReadTokenIsGoodOnlyOnTheReplicasItNames() throws Exception {
    String read = BlockTokens.sign(token(Op.READ.bit()).build(), KEY);
    verifier.verify(read, 42, Op.READ, List.of("c:3"));
    assertEquals(
        "block token's chain [a:1, b:2, c:3] does not name [x:9]",
        reason(read, 42, Op.READ, List.of("x:9")));
  }

  @Test
  void theChainNamesTheNodeIdOfEachAddress() {
    BlockToken named = token(Op.WRITE.bit()).addAllChainNodeIds(List.of("A", "B", "C")).build();
    assertEquals("B", BlockTokenVerifier.nodeIdOf(named, "b:2"));
    assertEquals("", BlockTokenVerifier.nodeIdOf(named, "x:9"), "an address it does not name");
    assertEquals("", BlockTokenVerifier.nodeIdOf(token(Op.WRITE.bit()).build(), "b:2"));
  }
}
