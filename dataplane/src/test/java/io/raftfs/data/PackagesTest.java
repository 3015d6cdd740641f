package io.raftfs.data;

import io.raftfs.testing.PackageGraph;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The data node's packages use each other in one direction only: the store at the bottom;
 * replication, scrubbing and scheduling above it; the HTTP API, the master link and metrics above
 * those; this package wiring them together on top.
 */
class PackagesTest {
  @Test
  void packagesFormNoCycle() throws IOException {
    PackageGraph.of(DataNode.class, "io.raftfs.data").assertAcyclic();
  }
}
