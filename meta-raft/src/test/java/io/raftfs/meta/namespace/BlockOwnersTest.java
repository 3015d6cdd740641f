package io.raftfs.meta.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockOwnersTest {
  private static FileNode file(String name) {
    return new FileNode(name, 0, new Owners("u", "g"), 0644, 1, 1, List.of(), Map.of());
  }

  /**
   * Random puts and removes over few ids (long probe runs, many backward shifts, several growths)
   * agree with a HashMap after every step.
   */
  @Test
  void agreesWithAHashMapThroughPutsRemovesAndGrowth() {
    BlockOwners owners = new BlockOwners();
    Map<Long, FileNode> expected = new HashMap<>();
    FileNode[] files = {file("a"), file("b"), file("c")};
    Random random = new Random(42);
    for (int step = 0; step < 200_000; step++) {
      // Negative ids and 0 too: no id is reserved as a marker.
      long id = random.nextInt(4_000) - 100;
      FileNode file = files[random.nextInt(files.length)];
      if (random.nextInt(3) == 0) {
        owners.remove(id, file);
        expected.remove(id, file);
      } else {
        owners.put(id, file);
        expected.put(id, file);
      }
      long probe = random.nextInt(4_000) - 100;
      assertSame(expected.get(probe), owners.get(probe), "id " + probe + " at step " + step);
    }
    Map<Long, FileNode> visited = new HashMap<>();
    owners.forEach(visited::put);
    assertEquals(expected, visited);
  }

  @Test
  void removeLeavesAnotherFilesMappingAlone() {
    BlockOwners owners = new BlockOwners();
    FileNode a = file("a");
    FileNode b = file("b");
    owners.put(7, a);
    owners.remove(7, b);
    assertSame(a, owners.get(7));
    owners.remove(7, a);
    assertNull(owners.get(7));
  }
}
