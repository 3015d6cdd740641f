package io.raftfs.meta.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.raftfs.auth.AccessKey;
import io.raftfs.meta.users.Identity;
import io.raftfs.meta.users.UserKey;
import io.raftfs.proto.UserRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessKeysTest {
  private static final AccessKey ROOT = AccessKey.generate();
  private static final AccessKey ALICE = AccessKey.generate();

  private final Map<String, UserRecord> table = new HashMap<>();

  private static UserKey key(int fill) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) fill);
    return UserKey.of(bytes);
  }

  private void addAlice(UserKey sealedWith) {
    table.put(
        ALICE.id(),
        UserRecord.newBuilder()
            .setName("alice")
            .setAccessKeyId(ALICE.id())
            .setSealedSecret(ByteString.copyFrom(sealedWith.seal("alice", ALICE.secret())))
            .build());
  }

  @Test
  void theRootKeyIsTheRootUsersAndAUsersKeyOpensFromTheTable() {
    addAlice(key(1));
    AccessKeys keys = new AccessKeys(ROOT, table::get, key(1));

    assertEquals(Optional.of(ROOT.secret()), keys.secretOf(ROOT.id()));
    assertEquals(new Identity("root", ROOT.id()), keys.identityOf(ROOT.id()));
    assertEquals(Optional.of(ALICE.secret()), keys.secretOf(ALICE.id()));
    assertEquals(new Identity("alice", ALICE.id()), keys.identityOf(ALICE.id()));
  }

  @Test
  void aKeyOutsideTheAppliedTableIsUnknownAtOnce() {
    addAlice(key(1));
    AccessKeys keys = new AccessKeys(ROOT, table::get, key(1));
    table.clear();

    assertEquals(Optional.empty(), keys.secretOf(ALICE.id()));
    assertNull(keys.identityOf(ALICE.id()));
  }

  @Test
  void withoutTheSameUserKeyOnlyTheRootKeyIsAccepted() {
    addAlice(key(1));

    assertEquals(Optional.empty(), new AccessKeys(ROOT, table::get, null).secretOf(ALICE.id()));
    assertEquals(Optional.empty(), new AccessKeys(ROOT, table::get, key(2)).secretOf(ALICE.id()));
    assertEquals(
        Optional.of(ROOT.secret()), new AccessKeys(ROOT, table::get, null).secretOf(ROOT.id()));
  }
}
