package io.raftfs.meta.namespace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.proto.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathNamesTest {

  @Test
  void splitsAbsolutePathsAndDropsOneTrailingSlash() throws Exception {
    assertArrayEquals(new String[0], PathNames.split("/"));
    assertArrayEquals(new String[] {"a", "b c"}, PathNames.split("/a/b c"));
    assertArrayEquals(new String[] {"a"}, PathNames.split("/a/"));
    assertEquals("/a", PathNames.normalize("/a/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b", "//", "/a//b", "/a/./b", "/a/../b", "/..", "/a\0b"})
  void rejectsMalformedPaths(String path) {
    NamespaceException e = assertThrows(NamespaceException.class, () -> PathNames.split(path));
    assertEquals(ErrorCode.INVALID_PATH, e.code());
  }

  @Test
  void rejectsPathsLongerThan4096Bytes() {
    String longPath = "/" + "x".repeat(PathNames.MAX_PATH_BYTES);
    assertThrows(NamespaceException.class, () -> PathNames.split(longPath));
  }
}
