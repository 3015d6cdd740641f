package io.raftfs.meta.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.operation.Operations;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.DecommissionRequest;
import io.raftfs.proto.DeleteRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.GetBlockLocationsRequest;
import io.raftfs.proto.ListRequest;
import io.raftfs.proto.Listing;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaBatchResult;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.proto.RecommissionRequest;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.ReserveBlockIdsRequest;
import io.raftfs.proto.RetireBlocksRequest;
import io.raftfs.proto.SnapshotHeader;
import io.raftfs.proto.StatRequest;
import io.raftfs.protocol.MetaLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetaStoreTest {
  private static final long NOW = 1_700_000_000_000L;
  private final MetaStore store = new MetaStore(Operations.ALL);

  private MetaResponse applyOne(LoggedWrite request, long now) {
    return store
        .apply(MetaBatch.newBuilder().setTimestampMillis(now).addRequests(request).build())
        .getResponses(0);
  }

  private static LoggedWrite mkdir(String client, long call, String path) {
    return LoggedWrite.newBuilder()
        .setClientId(client)
        .setCallId(call)
        .setMkdir(MkdirRequest.newBuilder().setPath(path))
        .build();
  }

  private static LoggedWrite reserve(long count) {
    return LoggedWrite.newBuilder()
        .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(count))
        .build();
  }

  private static LoggedWrite commit(String path, long... blockIds) {
    CommitFileRequest.Builder commit =
        CommitFileRequest.newBuilder().setPath(path).setReplication(1).setBlockSize(10);
    for (long id : blockIds) {
      commit.addBlocks(BlockInfo.newBuilder().setBlockId(id).setLength(10).setCrc32C(1));
    }
    return LoggedWrite.newBuilder().setCommitFile(commit).build();
  }

  private static LoggedWrite retire(long below) {
    return LoggedWrite.newBuilder()
        .setRetireBlocks(RetireBlocksRequest.newBuilder().setBelow(below))
        .build();
  }

  private static LoggedWrite delete(String path) {
    return LoggedWrite.newBuilder().setDelete(DeleteRequest.newBuilder().setPath(path)).build();
  }

  /** What the namespace says about a stat, list or get_block_locations request. */
  /** A commit of "/f" passes the leader's check of the state. */
  private static void committable(Namespace namespace, Accessor caller) throws NamespaceException {
    namespace.checkCommittable("/f", false);
  }

  private static MetaResponse answer(MetaRequest request, Namespace namespace, Accessor caller)
      throws NamespaceException {
    MetaResponse.Builder response = MetaResponse.newBuilder();
    return switch (request.getOpCase()) {
      case STAT -> response.setStatus(namespace.stat(request.getStat().getPath())).build();
      case LIST ->
          response
              .setListing(
                  Listing.newBuilder().addAllEntries(namespace.list(request.getList().getPath())))
              .build();
      case GET_BLOCK_LOCATIONS -> {
        String path = request.getGetBlockLocations().getPath();
        response.getLocationsBuilder().setStatus(namespace.stat(path));
        for (BlockInfo block : namespace.blocks(path)) {
          response.getLocationsBuilder().addBlocksBuilder().setBlock(block);
        }
        yield response.build();
      }
      default -> throw new IllegalArgumentException("not a read: " + request.getOpCase());
    };
  }

  @Test
  void aRetriedCallIsAnsweredFromTheDedupTableAndAppliedOnce() {
    MetaResponse first = applyOne(mkdir("client-a", 1, "/d"), NOW);
    MetaResponse retry = applyOne(mkdir("client-a", 1, "/d"), NOW + 10);
    MetaResponse otherCall = applyOne(mkdir("client-a", 2, "/d"), NOW + 20);

    assertEquals(ErrorCode.OK, first.getError());
    assertEquals(first, retry);
    assertEquals(ErrorCode.ALREADY_EXISTS, otherCall.getError());
  }

  @Test
  void theRetryOfAnAppliedCommitPassesThePreCheckThatRefusesAnotherCall() throws Exception {
    LoggedWrite write = commit("/f").toBuilder().setClientId("client-a").setCallId(1).build();
    assertEquals(ErrorCode.OK, applyOne(write, NOW).getError());
    MetaRequest call =
        MetaRequest.newBuilder()
            .setClientId("client-a")
            .setCallId(1)
            .setCommitFile(write.getCommitFile())
            .build();

    store.checkBeforeLog("", "", call, MetaStoreTest::committable);
    MetaRequest another = call.toBuilder().setCallId(2).build();
    NamespaceException refused =
        assertThrows(
            NamespaceException.class,
            () -> store.checkBeforeLog("", "", another, MetaStoreTest::committable));
    assertEquals(ErrorCode.ALREADY_EXISTS, refused.code());
  }

  @Test
  void answersBelowTheClientsWatermarkAndSilentClientsAreForgotten() {
    applyOne(mkdir("a", 1, "/x"), NOW);
    applyOne(mkdir("a", 2, "/y").toBuilder().setAnsweredBelow(2).build(), NOW);
    assertEquals(1, store.dedupEntries());

    applyOne(mkdir("b", 1, "/z"), NOW + MetaStore.DEDUP_EXPIRY_MILLIS + 1);
    assertEquals(1, store.dedupEntries(), "client a expired, only b's answer is left");
  }

  @Test
  void reservationsNeverOverlapAndCommitOnlyAcceptsAllocatedIds() {
    MetaBatchResult reserved =
        store.apply(
            MetaBatch.newBuilder()
                .setTimestampMillis(NOW)
                .addRequests(reserve(100))
                .addRequests(mkdir("c", 1, "/between"))
                .addRequests(reserve(50))
                .build());
    assertEquals(3, reserved.getResponsesCount());
    assertEquals(1, reserved.getReservedIds(0).getFirst());
    assertEquals(101, reserved.getReservedIds(1).getFirst());
    assertEquals(50, reserved.getReservedIds(1).getCount());
    assertEquals(151, store.nextBlockId());

    assertEquals(ErrorCode.OK, applyOne(commit("/ok", 1, 150), NOW).getError());
    MetaResponse bogus = applyOne(commit("/bad", 151), NOW);
    assertEquals(ErrorCode.INVALID_ARGUMENT, bogus.getError());
    assertEquals("/bad: block 151 was never allocated", bogus.getMessage());
  }

  @Test
  void digestChangesWithTheNamespaceAndIgnoresHistory() {
    MetaStore other = new MetaStore(Operations.ALL);
    applyOne(mkdir("c", 1, "/a"), NOW);
    applyOne(mkdir("c", 2, "/b"), NOW);
    other.apply(
        MetaBatch.newBuilder()
            .setTimestampMillis(NOW)
            .addRequests(mkdir("d", 1, "/b"))
            .addRequests(mkdir("d", 2, "/a"))
            .build());
    assertEquals(store.digest(), other.digest(), "same tree, different order of creation");
    applyOne(mkdir("c", 3, "/c"), NOW);
    assertNotEquals(store.digest(), other.digest());
  }

  @Test
  void aFailedRequestInABatchDoesNotDisturbTheOthers() {
    MetaBatch batch =
        MetaBatch.newBuilder()
            .setTimestampMillis(NOW)
            .addRequests(mkdir("c", 1, "/a"))
            .addRequests(mkdir("c", 2, "/missing/b"))
            .addRequests(mkdir("c", 3, "/a/c"))
            .build();
    List<MetaResponse> responses = store.apply(batch).getResponsesList();
    assertEquals(
        List.of(ErrorCode.OK, ErrorCode.NOT_FOUND, ErrorCode.OK),
        responses.stream().map(MetaResponse::getError).toList());
  }

  @Test
  void anEntryWithoutAWriteIsRefused() {
    assertEquals(
        ErrorCode.INVALID_ARGUMENT, applyOne(LoggedWrite.getDefaultInstance(), NOW).getError());
  }

  @Test
  void aRetiredBlockCanNeverBeCommittedAgainOnAnyReplicaNorAfterASnapshot() throws Exception {
    List<LoggedWrite> log =
        List.of(
            reserve(20),
            commit("/kept", 1, 2), // committed before the retirement: stays
            commit("/gone", 15), // its block is retired when it is deleted
            retire(10),
            delete("/gone"),
            retire(5), // late or stale: never moves back
            retire(1_000)); // capped at the ids reserved so far
    MetaStore replicaA = new MetaStore(Operations.ALL);
    MetaStore replicaB = new MetaStore(Operations.ALL);
    for (LoggedWrite write : log) {
      applyOne(write, NOW);
      replicaA.apply(MetaBatch.newBuilder().setTimestampMillis(NOW).addRequests(write).build());
    }
    // Replica B gets the same log in other batches: the same state.
    replicaB.apply(MetaBatch.newBuilder().setTimestampMillis(NOW).addAllRequests(log).build());
    assertEquals(store.digest(), replicaA.digest());
    assertEquals(store.digest(), replicaB.digest());
    assertEquals(21, store.retiredBelow());
    assertEquals(MetaStore.BlockFate.REFERENCED, store.fate(2));
    assertEquals(MetaStore.BlockFate.RETIRED, store.fate(3));
    assertEquals(MetaStore.BlockFate.RETIRED, store.fate(15));
    assertEquals(MetaStore.BlockFate.NEVER_ALLOCATED, store.fate(21));

    ByteArrayOutputStream image = new ByteArrayOutputStream();
    store.writeSnapshot(image);
    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));
    assertEquals(store.digest(), restored.digest());
    for (MetaStore state : List.of(store, restored)) {
      MetaResponse refused =
          state
              .apply(
                  MetaBatch.newBuilder()
                      .setTimestampMillis(NOW)
                      .addRequests(commit("/late", 3))
                      .build())
              .getResponses(0);
      assertEquals(ErrorCode.BLOCKS_RETIRED, refused.getError(), refused.getMessage());
      // The file that holds a retired block may keep it when it is overwritten.
      CommitFileRequest keep =
          commit("/kept", 2).getCommitFile().toBuilder().setOverwrite(true).build();
      assertEquals(
          ErrorCode.OK,
          state
              .apply(
                  MetaBatch.newBuilder()
                      .setTimestampMillis(NOW)
                      .addRequests(LoggedWrite.newBuilder().setCommitFile(keep))
                      .build())
              .getResponses(0)
              .getError());
    }
  }

  @Test
  void releasedBlocksAboveTheRetirementBoundAreRetiredUntilItPassesThem() throws Exception {
    applyOne(reserve(20), NOW);
    applyOne(commit("/f", 12, 13), NOW);
    applyOne(
        commit("/f", 13).toBuilder()
            .setCommitFile(commit("/f", 13).getCommitFile().toBuilder().setOverwrite(true))
            .build(),
        NOW);
    assertEquals(Set.of(12L), store.retiredIds(), "overwritten, not kept");
    assertEquals(ErrorCode.BLOCKS_RETIRED, applyOne(commit("/g", 12), NOW).getError());
    applyOne(delete("/f"), NOW);
    assertEquals(Set.of(12L, 13L), store.retiredIds());
    applyOne(retire(13), NOW);
    assertEquals(Set.of(13L), store.retiredIds(), "12 is covered by the bound now");
    assertEquals(ErrorCode.BLOCKS_RETIRED, applyOne(commit("/g", 12), NOW).getError());
    assertEquals(ErrorCode.BLOCKS_RETIRED, applyOne(commit("/g", 13), NOW).getError());
    assertEquals(ErrorCode.OK, applyOne(commit("/g", 14), NOW).getError());
  }

  @Test
  void aSnapshotFromBeforeRetirementLoadsWithNothingRetired() throws Exception {
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    SnapshotHeader.newBuilder().setNextBlockId(11).build().writeDelimitedTo(image);
    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));
    assertEquals(0, restored.retiredBelow());
    assertEquals(MetaStore.BlockFate.UNCOMMITTED, restored.fate(3));
    assertEquals(
        ErrorCode.OK,
        restored
            .apply(
                MetaBatch.newBuilder().setTimestampMillis(NOW).addRequests(commit("/f", 3)).build())
            .getResponses(0)
            .getError());
  }

  @Test
  void fileAttributesAreStatedSnapshottedAndBounded() throws Exception {
    applyOne(reserve(10), NOW);
    LoggedWrite withAttributes =
        commit("/obj", 1).toBuilder()
            .setCommitFile(
                commit("/obj", 1).getCommitFile().toBuilder()
                    .putAttributes("s3.etag", "0123456789abcdef0123456789abcdef")
                    .putAttributes("s3.x-amz-meta-colour", "blue"))
            .build();
    assertEquals(ErrorCode.OK, applyOne(withAttributes, NOW).getError());
    MetaRequest stat =
        MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath("/obj")).build();
    Map<String, String> expected =
        Map.of("s3.etag", "0123456789abcdef0123456789abcdef", "s3.x-amz-meta-colour", "blue");
    assertEquals(
        expected, store.read(stat, "", MetaStoreTest::answer).getStatus().getAttributesMap());

    ByteArrayOutputStream image = new ByteArrayOutputStream();
    store.writeSnapshot(image);
    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));
    assertEquals(
        expected, restored.read(stat, "", MetaStoreTest::answer).getStatus().getAttributesMap());

    CommitFileRequest.Builder tooMany = commit("/many", 2).getCommitFile().toBuilder();
    for (int i = 0; i <= MetaLimits.MAX_FILE_ATTRIBUTES; i++) {
      tooMany.putAttributes("a" + i, "v");
    }
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        applyOne(LoggedWrite.newBuilder().setCommitFile(tooMany).build(), NOW).getError());
    CommitFileRequest.Builder tooBig =
        commit("/big", 3).getCommitFile().toBuilder()
            .putAttributes("big", "x".repeat(MetaLimits.MAX_FILE_ATTRIBUTE_BYTES));
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        applyOne(LoggedWrite.newBuilder().setCommitFile(tooBig).build(), NOW).getError());
  }

  @Test
  void snapshotRoundTripGivesIdenticalStateAndAnswers() throws Exception {
    applyOne(reserve(10), NOW);
    applyOne(mkdir("c", 1, "/dir"), NOW);
    applyOne(mkdir("c", 2, "/dir/sub"), NOW);
    applyOne(commit("/dir/f", 1, 2), NOW + 1);
    applyOne(commit("/g", 3), NOW + 2);
    applyOne(
        LoggedWrite.newBuilder().setDelete(DeleteRequest.newBuilder().setPath("/g")).build(),
        NOW + 3);
    applyOne(
        LoggedWrite.newBuilder()
            .setRegisterDataNode(
                RegisterDataNodeRequest.newBuilder()
                    .setNodeId("dn1")
                    .setHttpAddress("127.0.0.1:1")
                    .setCapacityBytes(5))
            .build(),
        NOW);

    ByteArrayOutputStream image = new ByteArrayOutputStream();
    store.writeSnapshot(image);
    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));

    for (MetaRequest query :
        List.of(
            MetaRequest.newBuilder().setList(ListRequest.newBuilder().setPath("/")).build(),
            MetaRequest.newBuilder().setList(ListRequest.newBuilder().setPath("/dir")).build(),
            MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath("/g")).build(),
            MetaRequest.newBuilder()
                .setGetBlockLocations(GetBlockLocationsRequest.newBuilder().setPath("/dir/f"))
                .build())) {
      assertEquals(
          store.read(query, "", MetaStoreTest::answer),
          restored.read(query, "", MetaStoreTest::answer),
          query.toString());
    }
    assertEquals(store.digest(), restored.digest());
    assertEquals(store.nextBlockId(), restored.nextBlockId());
    assertEquals(store.dataNodes(), restored.dataNodes());
    // Nodes heartbeating a master that restarted from the snapshot are not sent the set again.
    assertEquals(store.registeredNodes(), restored.registeredNodes());
    assertEquals(List.of("127.0.0.1:1"), restored.registeredNodes().getHttpAddressesList());
    assertEquals(store.files(), restored.files());
    assertEquals(store.bytes(), restored.bytes());
    // The dedup table came along: a retry after restore is still answered, not re-applied.
    assertEquals(
        ErrorCode.OK,
        restored
            .apply(
                MetaBatch.newBuilder()
                    .setTimestampMillis(NOW + 4)
                    .addRequests(mkdir("c", 2, "/dir/sub"))
                    .build())
            .getResponses(0)
            .getError());
  }

  @Test
  void recommissionReturnsADecommissionedNodeToServiceAndSurvivesASnapshot() throws Exception {
    applyOne(
        LoggedWrite.newBuilder()
            .setRegisterDataNode(
                RegisterDataNodeRequest.newBuilder().setNodeId("dn-1").setHttpAddress("h:1"))
            .build(),
        NOW);
    applyOne(
        LoggedWrite.newBuilder()
            .setDecommission(DecommissionRequest.newBuilder().setNodeId("dn-1"))
            .build(),
        NOW);
    assertEquals(Set.of("dn-1"), store.decommissioning());
    String draining = store.digest();

    LoggedWrite recommission =
        LoggedWrite.newBuilder()
            .setRecommission(RecommissionRequest.newBuilder().setNodeId("dn-1"))
            .build();
    assertEquals(ErrorCode.OK, applyOne(recommission, NOW).getError());
    assertEquals(Set.of(), store.decommissioning());
    assertTrue(store.isInService("dn-1"));
    assertNotEquals(draining, store.digest());
    assertEquals(ErrorCode.OK, applyOne(recommission, NOW).getError(), "in service stays so");

    ByteArrayOutputStream image = new ByteArrayOutputStream();
    store.writeSnapshot(image);
    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));
    assertEquals(store.digest(), restored.digest());
  }

  @Test
  void recommissionOfAnUnknownNodeIsRefused() {
    MetaResponse refused =
        applyOne(
            LoggedWrite.newBuilder()
                .setRecommission(RecommissionRequest.newBuilder().setNodeId("dn-9"))
                .build(),
            NOW);
    assertEquals(ErrorCode.NOT_FOUND, refused.getError());
    assertEquals("dn-9: no such data node", refused.getMessage());
  }

  private static LoggedWrite roll(int id, long expiresAt) {
    return LoggedWrite.newBuilder()
        .setRollBlockKey(
            BlockKey.newBuilder()
                .setKeyId(id)
                .setSecret(ByteString.copyFrom(new byte[32]))
                .setExpiresAtMs(expiresAt))
        .build();
  }

  @Test
  void blockKeysAreAddedOnceAndExpireByTheEntrysTimeAndSurviveASnapshot() throws Exception {
    long versionWithout = store.blockKeys().getVersion();
    assertEquals(ErrorCode.OK, applyOne(roll(1, NOW + 1000), NOW).getError());
    assertEquals(ErrorCode.OK, applyOne(roll(2, NOW + 5000), NOW + 10).getError());
    assertEquals(ErrorCode.ALREADY_EXISTS, applyOne(roll(2, NOW + 9000), NOW + 20).getError());
    assertEquals(ErrorCode.INVALID_ARGUMENT, applyOne(roll(3, NOW), NOW + 30).getError());
    assertEquals(
        List.of(1, 2), store.blockKeys().getKeysList().stream().map(BlockKey::getKeyId).toList());
    assertEquals(NOW + 5000, store.blockKeys().getKeys(1).getExpiresAtMs());
    assertNotEquals(versionWithout, store.blockKeys().getVersion());

    ByteArrayOutputStream image = new ByteArrayOutputStream();
    store.writeSnapshot(image);
    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));
    assertEquals(store.blockKeys(), restored.blockKeys());
    assertEquals(store.digest(), restored.digest());

    // Any later entry drops the keys it outlived, on every replica alike.
    applyOne(mkdir("c", 1, "/later"), NOW + 1000);
    assertEquals(
        List.of(2), store.blockKeys().getKeysList().stream().map(BlockKey::getKeyId).toList());
  }
}
