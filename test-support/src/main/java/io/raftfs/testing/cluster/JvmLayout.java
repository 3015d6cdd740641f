package io.raftfs.testing.cluster;

import java.util.List;

/**
 * How a cluster's processes run when each has a JVM of its own: where ({@link ProcessPlacement})
 * and with which JVM flags.
 */
record JvmLayout(ProcessPlacement placement, List<String> masterFlags, List<String> dataNodeFlags) {
  JvmLayout {
    masterFlags = List.copyOf(masterFlags);
    dataNodeFlags = List.copyOf(dataNodeFlags);
  }
}
