package io.raftfs.meta.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MasterConfigTest {
  private static Properties valid() {
    Properties props = new Properties();
    props.setProperty(MasterConfigKeys.ID_KEY, "m2");
    props.setProperty(MasterConfigKeys.PEERS_KEY, "m1=h1:1:2, m2=h2:3:4 ,m3=h3:5:6");
    props.setProperty(MasterConfigKeys.STORAGE_DIR_KEY, "/tmp/x");
    props.setProperty(MasterConfigKeys.AUTH_ROOT_CREDENTIALS_FILE_KEY, "/tmp/x/root.credentials");
    props.setProperty(MasterConfigKeys.TLS_CA_FILE_KEY, "/tmp/x/ca.pem");
    props.setProperty(MasterConfigKeys.TLS_CERT_FILE_KEY, "/tmp/x/m2.pem");
    props.setProperty(MasterConfigKeys.TLS_KEY_FILE_KEY, "/tmp/x/m2.key");
    return props;
  }

  @Test
  void authenticationIsOnUnlessSwitchedOffAndThenNeedsTheRootKey() {
    assertEquals(
        Path.of("/tmp/x/root.credentials"), MasterConfig.from(valid()).rootCredentialsFile());
    Properties noKey = valid();
    noKey.remove(MasterConfigKeys.AUTH_ROOT_CREDENTIALS_FILE_KEY);
    assertEquals(
        "raftfs.master.auth.root.credentials.file is required while raftfs.master.auth.enabled is"
            + " true (see docs/security.md)",
        error(noKey));
    noKey.setProperty(MasterConfigKeys.AUTH_ENABLED_KEY, "false");
    assertNull(MasterConfig.from(noKey).rootCredentialsFile());
    noKey.setProperty(MasterConfigKeys.AUTH_ENABLED_KEY, "no");
    assertEquals("raftfs.master.auth.enabled: 'no' is not true or false", error(noKey));
  }

  @Test
  void blockTokensLiveAtMostHalfTheKeyRollPeriod() {
    Properties props = valid();
    assertEquals(Duration.ofHours(10), MasterConfig.from(props).blockKeyRollPeriod());
    assertEquals(Duration.ofMinutes(10), MasterConfig.from(props).blockTokenLifetime());
    props.setProperty(MasterConfigKeys.BLOCK_KEY_ROLL_PERIOD.name(), "60000");
    props.setProperty(MasterConfigKeys.BLOCK_TOKEN_LIFETIME.name(), "30001");
    assertEquals(
        "raftfs.master.auth.block.token.lifetime.ms must be at most half of"
            + " raftfs.master.auth.block.key.roll.period.ms: a key is used for tokens only while it"
            + " outlives them",
        error(props));
  }

  private static String error(Properties props) {
    return assertThrows(IllegalArgumentException.class, () -> MasterConfig.from(props))
        .getMessage();
  }

  @Test
  void parsesPeersAndAppliesDefaults() {
    MasterConfig config = MasterConfig.from(valid());
    assertEquals(3, config.peers().size());
    assertEquals("h2:4", config.self().httpAddress());
    assertEquals("h2:3", config.self().raftAddress());
    assertEquals(1000, config.stepDownWaitMs());
    assertEquals(15 * 60 * 1000, config.orphanGraceMs());
    // Above the clients' 60 s idle drop, as the data nodes' 120 s.
    assertEquals(120_000, config.httpIdleTimeoutMs());
  }

  @Test
  void handsRaftKeysToRatisUnchanged() {
    Properties props = valid();
    props.setProperty("raft.server.log.appender.wait-time.min", "0ms");
    props.setProperty("unrelated.key", "x");
    assertEquals(
        java.util.Map.of("raft.server.log.appender.wait-time.min", "0ms"),
        MasterConfig.from(props).ratisOverrides());
  }

  @Test
  void durationsTakeUnitsAsWellAsMilliseconds() {
    Properties props = valid();
    props.setProperty(MasterConfigKeys.ORPHAN_GRACE_MS_KEY, "1h");
    props.setProperty(MasterConfigKeys.DATANODE_DEAD_TIMEOUT_MS_KEY, "4000");
    MasterConfig config = MasterConfig.from(props);
    assertEquals(3_600_000, config.orphanGraceMs());
    assertEquals(4000, config.dataNodeDeadTimeoutMs());
  }

  @Test
  void anUnknownRaftfsKeyIsRefusedWithTheNearestKnownOne() {
    Properties typo = valid();
    typo.setProperty("raftfs.master.orphan.grace", "1");
    assertEquals(
        "unknown key raftfs.master.orphan.grace (did you mean raftfs.master.orphan.grace.ms?)",
        error(typo));
    Properties dataNodeKey = valid();
    dataNodeKey.setProperty("raftfs.datanode.dir", "/d");
    assertEquals("unknown key raftfs.datanode.dir", error(dataNodeKey));
  }

  @Test
  void namesTheKeyAndTheProblem() {
    Properties noId = valid();
    noId.remove(MasterConfigKeys.ID_KEY);
    assertEquals("raftfs.master.id is required", error(noId));

    Properties unknownId = valid();
    unknownId.setProperty(MasterConfigKeys.ID_KEY, "m9");
    assertEquals(
        "raftfs.master.id: 'm9' is not among the peers [m1, m2, m3] (raftfs.master.peers)",
        error(unknownId));

    Properties badPeer = valid();
    badPeer.setProperty(MasterConfigKeys.PEERS_KEY, "m2=h2:3");
    assertEquals("raftfs.master.peers: 'm2=h2:3' is not id=host:raftPort:httpPort", error(badPeer));

    Properties badPort = valid();
    badPort.setProperty(MasterConfigKeys.PEERS_KEY, "m2=h2:3:99999");
    assertEquals("raftfs.master.peers: 'm2=h2:3:99999': bad port '99999'", error(badPort));

    Properties duplicate = valid();
    duplicate.setProperty(MasterConfigKeys.PEERS_KEY, "m2=h:1:2,m2=h:3:4");
    assertEquals("raftfs.master.peers: id 'm2' appears twice", error(duplicate));

    Properties badNumber = valid();
    badNumber.setProperty(MasterConfigKeys.DATANODE_DEAD_TIMEOUT_MS_KEY, "-5");
    assertEquals(
        "raftfs.master.datanode.dead.timeout.ms: '-5' is not a duration (e.g. 500, 500ms, 30s, 5m,"
            + " 1h)",
        error(badNumber));

    Properties zero = valid();
    zero.setProperty(MasterConfigKeys.REPAIR_MAX_COPIES_PER_NODE_KEY, "0");
    assertEquals(
        "raftfs.master.repair.max.copies.per.node: 0 is out of range (at least 1)", error(zero));

    Properties inverted = valid();
    inverted.setProperty(MasterConfigKeys.ELECTION_TIMEOUT_MAX.name(), "100");
    assertEquals(
        "raftfs.master.election.timeout.max.ms must be above raftfs.master.election.timeout.min.ms",
        error(inverted));
  }

  @Test
  void blockSizesDefaultToOneMebibyteToOneGibibyteAndTheMaximumIsNotBelowTheMinimum() {
    MasterConfig config = MasterConfig.from(valid());
    assertEquals(1 << 20, config.blockSizeMin());
    assertEquals(1 << 30, config.blockSizeMax());
    Properties crossed = valid();
    crossed.setProperty(MasterConfigKeys.BLOCK_SIZE_MIN_KEY, "8m");
    crossed.setProperty(MasterConfigKeys.BLOCK_SIZE_MAX.name(), "4m");
    assertEquals(
        "raftfs.master.block-size.max must be at least raftfs.master.block-size.min",
        error(crossed));
    Properties tiny = valid();
    tiny.setProperty(MasterConfigKeys.BLOCK_SIZE_MIN_KEY, "3");
    assertEquals(
        "raftfs.master.block-size.min: 3 is out of range (65536 to 4294967295)", error(tiny));
  }
}
