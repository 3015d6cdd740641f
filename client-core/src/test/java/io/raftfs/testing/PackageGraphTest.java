package io.raftfs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.testing.graph.left.Left;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker against three small packages whose classes name each other only in signatures. */
class PackageGraphTest {
  private static final String GRAPH = "io.raftfs.testing.graph";
  private static final String LEFT = GRAPH + ".left";
  private static final String RIGHT = GRAPH + ".right";
  private static final String ABOVE = GRAPH + ".above";

  @Test
  void signaturesAloneMakeACycle() throws IOException {
    assertEquals(List.of(List.of(LEFT, RIGHT)), PackageGraph.of(Left.class, GRAPH).cycles());
  }

  @Test
  void aTypeArgumentIsADependency() throws IOException {
    assertEquals(Set.of(LEFT), PackageGraph.of(Left.class, GRAPH).dependencies(ABOVE));
  }

  @Test
  void packagesOutsideThePrefixAreLeftOut() throws IOException {
    PackageGraph graph = PackageGraph.of(Left.class, LEFT);
    assertEquals(Set.of(), graph.dependencies(LEFT));
    graph.assertAcyclic();
  }

  @Test
  void aFailureNamesTheClassesBehindEveryEdgeOfTheCycle() throws IOException {
    AssertionError failure =
        assertThrows(AssertionError.class, PackageGraph.of(Left.class, GRAPH)::assertAcyclic);
    String message = failure.getMessage();
    assertTrue(message.contains(LEFT + " -> " + RIGHT + ": Left -> Right"), message);
    assertTrue(message.contains(RIGHT + " -> " + LEFT + ": Right -> Left"), message);
    assertFalse(message.contains("Above"), message);
  }
}
