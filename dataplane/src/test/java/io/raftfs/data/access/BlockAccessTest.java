package io.raftfs.data.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.raftfs.auth.BlockTokenException;
import io.raftfs.auth.BlockTokens;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockKeys;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.HeartbeatResponse;
import io.raftfs.testing.SettableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockAccessTest {
  private final SettableClock clock = new SettableClock(1_800_000_000_000L);
  private final BlockAccess access = BlockAccess.fromMasters(clock);

  private BlockKey key(int id, long expiresAt) {
    return BlockKey.newBuilder()
        .setKeyId(id)
        .setSecret(ByteString.copyFrom(new byte[32]))
        .setExpiresAtMs(expiresAt)
        .build();
  }

  private static final List<String> SELF = List.of("127.0.0.1:9866");

  private String read(BlockKey key, long blockId) {
    return BlockTokens.sign(
        BlockToken.newBuilder()
            .setKeyId(key.getKeyId())
            .setBlockId(blockId)
            .setOps(BlockTokens.Op.READ.bit())
            .setExpiryMs(clock.millis() + 60_000)
            .addChain(SELF.get(0))
            .build(),
        key);
  }

  private static HeartbeatResponse keys(long version, BlockKey... keys) {
    return HeartbeatResponse.newBuilder()
        .setRegistered(true)
        .setBlockKeys(BlockKeys.newBuilder().setVersion(version).addAllKeys(List.of(keys)))
        .build();
  }

  private int refused(String token) {
    return assertThrows(
            BlockTokenException.class, () -> access.check(token, 7, BlockTokens.Op.READ, SELF))
        .status();
  }

  @Test
  void keysAreTheUnionOfWhatEachMasterSentLessThoseExpiredByTheNodesClock() throws Exception {
    BlockKey old = key(1, clock.millis() + 1000);
    BlockKey fresh = key(2, clock.millis() + 100_000);
    access.update("m1", keys(11, old));
    access.update("m2", keys(22, old, fresh));
    assertEquals(11, access.version("m1"));
    assertEquals(0, access.version("m3"));
    access.check(read(old, 7), 7, BlockTokens.Op.READ, SELF);
    access.check(read(fresh, 7), 7, BlockTokens.Op.READ, SELF);
    // A steady answer without keys keeps what the master sent before.
    access.update("m2", HeartbeatResponse.newBuilder().setRegistered(true).build());
    access.check(read(fresh, 7), 7, BlockTokens.Op.READ, SELF);
    clock.advance(1001);
    assertEquals(403, refused(read(old, 7)));
    access.check(read(fresh, 7), 7, BlockTokens.Op.READ, SELF);
  }

  @Test
  void tokensAreOffOnlyWhileEveryMasterThatAnsweredSaysSo() throws Exception {
    HeartbeatResponse off =
        HeartbeatResponse.newBuilder().setRegistered(true).setBlockTokensDisabled(true).build();
    assertEquals(401, refused(null));
    assertEquals(503, refused(read(key(1, clock.millis() + 1000), 7)));
    access.update("m1", off);
    access.check(null, 7, BlockTokens.Op.READ, SELF);
    access.update("m2", keys(3));
    assertEquals(401, refused(null));
    access.update("m2", off);
    access.check(null, 7, BlockTokens.Op.READ, SELF);
    BlockAccess.open().check(null, 7, BlockTokens.Op.WRITE, List.of("a:1"));
  }
}
