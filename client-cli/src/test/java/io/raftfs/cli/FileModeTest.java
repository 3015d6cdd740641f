package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FileModeTest {
  @Test
  void octalModesReplaceTheMode() {
    assertEquals(0755, FileMode.parse("755").applyTo(0000, false));
    assertEquals(01777, FileMode.parse("1777").applyTo(0644, true));
    assertEquals(0, FileMode.parse("0").applyTo(0777, false));
  }

  @Test
  void symbolicClausesChangeTheClassesTheyName() {
    assertEquals(0744, FileMode.parse("u+x").applyTo(0644, false));
    assertEquals(0600, FileMode.parse("go-rwx").applyTo(0644, false));
    assertEquals(0755, FileMode.parse("u+x,go-w,a+x").applyTo(0666, false));
    assertEquals(0640, FileMode.parse("g=r,o=").applyTo(0677, false));
    assertEquals(01777, FileMode.parse("+t").applyTo(0777, true));
    assertEquals(0777, FileMode.parse("-t").applyTo(01777, true));
    // X: execute for directories, or where someone may execute already.
    assertEquals(0755, FileMode.parse("a+X").applyTo(0644, true));
    assertEquals(0644, FileMode.parse("a+X").applyTo(0644, false));
    assertEquals(0755, FileMode.parse("a+X").applyTo(0744, false));
  }

  @Test
  void anythingElseIsAUsageError() {
    for (String bad : new String[] {"8", "2755", "u+q", "u+x,", "rwx", "", "07777"}) {
      assertThrows(UsageException.class, () -> FileMode.parse(bad), bad);
    }
  }

  @Test
  void formatsAsLsDoes() {
    assertEquals("drwxr-xr-x", FileMode.format(0755, true));
    assertEquals("-rw-r-----", FileMode.format(0640, false));
    assertEquals("drwxrwxrwt", FileMode.format(01777, true));
    assertEquals("drwxrwxrwT", FileMode.format(01776, true));
  }
}
