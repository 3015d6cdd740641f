package io.raftfs.hadoop.contract;

import io.raftfs.hadoop.SharedCluster;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/**
 * Binds Hadoop's contract tests to {@code raftfs://} on the shared test cluster; what raftfs
 * promises them is declared in {@code contract/raftfs.xml}.
 */
public class RaftfsContract extends AbstractFSContract {
  public static final String CONTRACT_XML = "contract/raftfs.xml";

  public RaftfsContract(Configuration conf) {
    super(conf);
    addConfResource(CONTRACT_XML);
  }

  @Override
  public String getScheme() {
    return "raftfs";
  }

  /** Every suite works below this directory, which it deletes when done. */
  @Override
  public Path getTestPath() {
    return new Path("/test");
  }

  @Override
  public FileSystem getTestFileSystem() throws IOException {
    return FileSystem.get(
        SharedCluster.uri(), SharedCluster.withCredentials(new Configuration(getConf())));
  }
}
