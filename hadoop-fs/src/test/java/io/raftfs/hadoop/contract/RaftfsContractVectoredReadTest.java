package io.raftfs.hadoop.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractVectoredReadTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/** Hadoop's vectored-read contract against raftfs, with heap and direct buffers. */
public class RaftfsContractVectoredReadTest extends AbstractContractVectoredReadTest {
  public RaftfsContractVectoredReadTest(String bufferType) {
    super(bufferType);
  }

  @Override
  protected AbstractFSContract createContract(Configuration conf) {
    return new RaftfsContract(conf);
  }
}
