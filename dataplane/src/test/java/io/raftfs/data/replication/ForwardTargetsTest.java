package io.raftfs.data.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.proto.RegisteredNodes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a node with masters sends blocks: nowhere (503) until a master sent the registered nodes,
 * then to the union of what each master last sent; a node without masters sends anywhere.
 */
class ForwardTargetsTest {
  @Test
  void beforeAnyMasterSentTheSetForwardingIsUnavailable() {
    ForwardTargets targets = ForwardTargets.registeredOnly();

    UploadFailure failure =
        assertThrows(UploadFailure.class, () -> targets.check(List.of("dn1:9881")));
    assertEquals(503, failure.status());
    assertTrue(failure.getMessage().contains("retry"), failure.getMessage());
    targets.check(List.of()); // storing here only needs nobody's word
    assertFalse(targets.accepts("dn1:9881"));
  }

  @Test
  void anAddressNoMasterSentIsForbiddenAndNamed() {
    ForwardTargets targets = ForwardTargets.registeredOnly();
    targets.update("m1", nodes(7, "dn1:9881", "dn2:9881"));

    targets.check(List.of("dn2:9881", "dn1:9881"));
    UploadFailure failure =
        assertThrows(
            UploadFailure.class, () -> targets.check(List.of("dn1:9881", "evil.example:22")));
    assertEquals(403, failure.status());
    assertEquals("evil.example:22 is not a registered data node", failure.getMessage());
  }

  @Test
  void theSetIsTheUnionOfEachMastersLatestAndVersionsArePerMaster() {
    ForwardTargets targets = ForwardTargets.registeredOnly();
    targets.update("m1", nodes(7, "dn1:9881"));
    targets.update("m2", nodes(8, "dn1:9881", "dn2:9881"));

    assertTrue(targets.accepts("dn2:9881"), "m2 applied dn2's registration first");
    assertEquals(7, targets.version("m1"));
    assertEquals(8, targets.version("m2"));
    assertEquals(0, targets.version("m3"));

    targets.update("m2", nodes(9, "dn1:9881"));
    assertFalse(targets.accepts("dn2:9881"), "no master names dn2 any more");
  }

  @Test
  void withoutMastersEveryAddressIsAccepted() {
    ForwardTargets targets = ForwardTargets.anywhere();

    targets.check(List.of("anything:1"));
    assertTrue(targets.accepts("anything:1"));
  }

  private static RegisteredNodes nodes(long version, String... addresses) {
    return RegisteredNodes.newBuilder()
        .setVersion(version)
        .addAllHttpAddresses(List.of(addresses))
        .build();
  }
}
