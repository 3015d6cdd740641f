package io.raftfs.meta.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.proto.AllocateBlocksRequest;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.ConcatRequest;
import io.raftfs.proto.DecommissionRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.proto.RecommissionRequest;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.RenameRequest;
import io.raftfs.proto.ReportBadReplicaRequest;
import org.junit.jupiter.api.Test;

/**
 * What the leader refuses before anything is logged or placed: every refusal is thrown by {@link
 * ClientOperation#handle} before it touches the master, which here has nothing but its settings.
 */
class LeaderChecksTest {
  private static final long MIB = 1 << 20;
  private static final MasterContext SETTINGS_ONLY =
      new MasterContext(
          null, null, null, null, null, null, null, null, null, new BlockSizes(MIB, 8 * MIB));
  // 65 characters, 130 bytes of UTF-8: the limit counts bytes.
  private static final String LONG_ID = "é".repeat(65);

  private static String refusal(MetaRequest.Builder request) {
    return refusal(request, ErrorCode.INVALID_ARGUMENT);
  }

  private static String refusal(MetaRequest.Builder request, ErrorCode code) {
    MetaRequest built = request.build();
    NamespaceException refused =
        assertThrows(
            NamespaceException.class,
            () -> Operations.ALL.forRequest(built.getOpCase()).handle(built, SETTINGS_ONLY));
    assertEquals(code, refused.code(), refused::getMessage);
    return refused.getMessage();
  }

  private static MetaRequest.Builder register(String nodeId, String httpAddress) {
    return MetaRequest.newBuilder()
        .setRegisterDataNode(
            RegisterDataNodeRequest.newBuilder().setNodeId(nodeId).setHttpAddress(httpAddress));
  }

  @Test
  void aNodeIdIsNonEmptyAndAtMost128BytesOfUtf8() {
    assertEquals("node_id: longer than 128 bytes (UTF-8)", refusal(register(LONG_ID, "h:1")));
    assertEquals("node_id: empty", refusal(register("", "h:1")));
  }

  @Test
  void anHttpAddressIsHostColonPort() {
    for (String bad :
        new String[] {"", "host", ":80", "h:0", "h:65536", "h:x", "a b:80", "h/p:1"}) {
      assertEquals(
          "http_address: '" + bad + "' is not host:port (port 1..65535)",
          refusal(register("dn", bad)),
          bad);
    }
    assertEquals(
        "http_address: longer than 261 bytes", refusal(register("dn", "h".repeat(300) + ":1")));
  }

  @Test
  void aClientIdOfAnyWriteIsAtMost128Bytes() {
    assertEquals(
        "client_id: longer than 128 bytes (UTF-8)",
        refusal(
            MetaRequest.newBuilder()
                .setClientId(LONG_ID)
                .setMkdir(MkdirRequest.newBuilder().setPath("/d"))));
  }

  @Test
  void everyOtherNodeIdIsBoundedToo() {
    assertEquals(
        "node_id: longer than 128 bytes (UTF-8)",
        refusal(
            MetaRequest.newBuilder()
                .setDecommission(DecommissionRequest.newBuilder().setNodeId(LONG_ID))));
    assertEquals(
        "node_id: longer than 128 bytes (UTF-8)",
        refusal(
            MetaRequest.newBuilder()
                .setRecommission(RecommissionRequest.newBuilder().setNodeId(LONG_ID))));
    assertEquals(
        "node_id: longer than 128 bytes (UTF-8)",
        refusal(
            MetaRequest.newBuilder()
                .setReportBadReplica(
                    ReportBadReplicaRequest.newBuilder().setBlockId(1).setNodeId(LONG_ID))));
  }

  private static MetaRequest.Builder commit(int replication, long blockSize, int blocks) {
    CommitFileRequest.Builder commit =
        CommitFileRequest.newBuilder()
            .setPath("/f")
            .setReplication(replication)
            .setBlockSize(blockSize);
    for (int i = 1; i <= blocks; i++) {
      commit.addBlocks(BlockInfo.newBuilder().setBlockId(i).setLength(1));
    }
    return MetaRequest.newBuilder().setCommitFile(commit);
  }

  @Test
  void aCommitsBlockSizeIsWithinTheMastersBounds() {
    assertEquals("/f: block size must be 1048576..8388608 bytes, not 3", refusal(commit(3, 3, 1)));
    assertEquals(
        "/f: block size must be 1048576..8388608 bytes, not 8388609",
        refusal(commit(3, 8 * MIB + 1, 1)));
  }

  @Test
  void aCommitsReplicationAndBlockCountAreBounded() {
    assertEquals("/f: replication must be 1..16, not 17", refusal(commit(17, MIB, 1)));
    assertEquals("/f: replication must be 1..16, not 0", refusal(commit(0, MIB, 1)));
    assertEquals(
        "/f: 100001 blocks, more than the 100000 a file may have",
        refusal(commit(3, MIB, 100_001)));
  }

  @Test
  void aNameAWriteCreatesHasNoControlCharacter() {
    String[][] cases = {
      {"/a\u0001b", "/a?b", "01"},
      {"/x/\u001b[2J", "/x/?[2J", "1b"},
      {"/tab\tname", "/tab?name", "09"},
      {"/del\u007f", "/del?", "7f"},
    };
    for (String[] c : cases) {
      String expected = c[1] + ": Invalid path (contains control character 0x" + c[2] + ")";
      assertEquals(expected, refusal(mkdir(c[0]).setClientId("c"), ErrorCode.INVALID_PATH));
      assertEquals(expected, refusal(commit(c[0]).setClientId("c"), ErrorCode.INVALID_PATH));
      assertEquals(
          expected,
          refusal(
              MetaRequest.newBuilder()
                  .setAllocateBlocks(
                      AllocateBlocksRequest.newBuilder()
                          .setPath(c[0])
                          .setReplication(3)
                          .setCount(1)
                          .setBlockSize(1)),
              ErrorCode.INVALID_PATH));
      assertEquals(
          expected,
          refusal(
              MetaRequest.newBuilder()
                  .setClientId("c")
                  .setRename(RenameRequest.newBuilder().setSource("/ok").setDestination(c[0])),
              ErrorCode.INVALID_PATH));
    }
  }

  private static MetaRequest.Builder mkdir(String path) {
    return MetaRequest.newBuilder().setMkdir(MkdirRequest.newBuilder().setPath(path));
  }

  private static MetaRequest.Builder commit(String path) {
    return MetaRequest.newBuilder()
        .setCommitFile(
            CommitFileRequest.newBuilder().setPath(path).setReplication(3).setBlockSize(MIB));
  }

  private static MetaRequest.Builder allocate(AllocateBlocksRequest.Builder allocate) {
    return MetaRequest.newBuilder()
        .setAllocateBlocks(allocate.setPath("/f").setReplication(3).setCount(1));
  }

  @Test
  void anAllocationIsBoundedInSpaceAndExclusions() {
    assertEquals(
        "/f: block size must be 1..8388608 bytes, not 8388609",
        refusal(allocate(AllocateBlocksRequest.newBuilder().setBlockSize(8 * MIB + 1))));
    AllocateBlocksRequest.Builder manyExcluded = AllocateBlocksRequest.newBuilder().setBlockSize(1);
    for (int i = 0; i <= 256; i++) {
      manyExcluded.addExcludeNodeIds("dn-" + i);
    }
    assertEquals("exclude_node_ids: more than 256 nodes", refusal(allocate(manyExcluded)));
    assertEquals(
        "exclude_node_ids: longer than 128 bytes (UTF-8)",
        refusal(
            allocate(
                AllocateBlocksRequest.newBuilder().setBlockSize(1).addExcludeNodeIds(LONG_ID))));
  }

  private static MetaRequest.Builder concat(ConcatRequest.Builder concat) {
    return MetaRequest.newBuilder().setClientId("c").setConcat(concat.setTarget("/o"));
  }

  @Test
  void aConcatIsBoundedInSourcesAttributesAndMode() {
    assertEquals(
        "/o: a concat takes 1..10000 sources", refusal(concat(ConcatRequest.newBuilder())));
    ConcatRequest.Builder many = ConcatRequest.newBuilder();
    for (int i = 0; i <= 10_000; i++) {
      many.addSources("/p/" + i);
    }
    assertEquals("/o: a concat takes 1..10000 sources", refusal(concat(many)));
    assertEquals(
        "/o: mode must be 0..1777 (octal)",
        refusal(concat(ConcatRequest.newBuilder().addSources("/p").setMode(04755))));
    assertEquals(
        "/o: an attribute with an empty name",
        refusal(concat(ConcatRequest.newBuilder().addSources("/p").putAttributes("", "x"))));
    assertEquals(
        "/t?x: Invalid path (contains control character 0x01)",
        refusal(
            MetaRequest.newBuilder()
                .setClientId("c")
                .setConcat(ConcatRequest.newBuilder().setTarget("/t\u0001x").addSources("/p")),
            ErrorCode.INVALID_PATH));
  }
}
