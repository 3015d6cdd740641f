package io.raftfs.meta.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserKeyTest {
  private static final String SECRET = "abcdefghijklmnopqrstuvwxyz0123456789+/AB";

  @TempDir Path dir;

  private static UserKey key(int fill) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) fill);
    return UserKey.of(bytes);
  }

  @Test
  void aSealedSecretOpensForItsUserUnderTheSameKey() throws Exception {
    UserKey key = key(1);
    byte[] sealed = key.seal("alice", SECRET);

    assertEquals(SECRET, key.open("alice", sealed));
    assertFalse(
        new String(sealed, StandardCharsets.ISO_8859_1).contains("abcdefgh"),
        "the secret is not readable in the sealed form");
  }

  @Test
  void sealingTheSameSecretTwiceGivesDifferentBytes() {
    UserKey key = key(1);
    assertNotEquals(
        HexFormat.of().formatHex(key.seal("alice", SECRET)),
        HexFormat.of().formatHex(key.seal("alice", SECRET)),
        "a fresh nonce every time");
  }

  @Test
  void aSealedSecretDoesNotOpenForAnotherUserUnderAnotherKeyOrChanged() {
    byte[] sealed = key(1).seal("alice", SECRET);

    assertThrows(GeneralSecurityException.class, () -> key(1).open("bob", sealed));
    assertThrows(GeneralSecurityException.class, () -> key(2).open("alice", sealed));
    byte[] changed = sealed.clone();
    changed[changed.length - 1] ^= 1;
    assertThrows(GeneralSecurityException.class, () -> key(1).open("alice", changed));
    assertThrows(GeneralSecurityException.class, () -> key(1).open("alice", new byte[5]));
  }

  @Test
  void aKeyIs32Bytes() {
    assertThrows(IllegalArgumentException.class, () -> UserKey.of(new byte[16]));
  }

  @Test
  void aCreatedKeyFileIsOwnerOnlyAndReadsBackTheSameKey() throws Exception {
    Path file = dir.resolve("user.key");
    UserKey.create(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    byte[] sealed = UserKey.read(file).seal("alice", SECRET);
    assertEquals(SECRET, UserKey.read(file).open("alice", sealed));
    assertThrows(FileAlreadyExistsException.class, () -> UserKey.create(file));
  }

  @Test
  void aKeyFileOthersMayReadOrWithoutAKeyIsRefused() throws Exception {
    Path open = dir.resolve("open.key");
    UserKey.create(open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    IOException readable = assertThrows(IOException.class, () -> UserKey.read(open));
    assertTrue(readable.getMessage().contains("chmod 600"), readable.getMessage());

    Path empty = dir.resolve("empty.key");
    Files.writeString(empty, "user.key=c2hvcnQ=\n");
    Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
    IOException shortKey = assertThrows(IOException.class, () -> UserKey.read(empty));
    assertTrue(shortKey.getMessage().contains("32 random bytes"), shortKey.getMessage());
  }
}
