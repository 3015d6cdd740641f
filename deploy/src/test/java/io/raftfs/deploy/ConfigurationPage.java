package io.raftfs.deploy;

import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.config.ConfigDoc;
import io.raftfs.config.ConfigKeySet;
import io.raftfs.data.config.DataNodeConfigKeys;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.s3.config.S3ConfigKeys;
import java.util.List;

/**
 * docs/configuration.md, from the key declarations of masters, data nodes, clients and S3 gateways.
 * The build writes it to {@code deploy/target/configuration.md} ({@link ConfigurationPageTest});
 * {@link #REGENERATE} writes it over the committed page.
 */
final class ConfigurationPage {
  /** The command that rewrites docs/configuration.md, run from the repository's root. */
  static final String REGENERATE =
      "./mvnw -B -o -q -pl deploy -am test -Dtest=ConfigurationPageTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Draftfs.rewrite=true";

  /** Every process's keys, in the order the page lists them. */
  private static final List<ConfigKeySet> KEY_SETS =
      List.of(MasterConfigKeys.ALL, DataNodeConfigKeys.ALL, ClientConfigKeys.ALL, S3ConfigKeys.ALL);

  private static final String PREAMBLE =
      """
      # Configuration

      <!-- Generated from the *ConfigKeys classes by io.raftfs.deploy.ConfigurationPage; do not edit.
           Regenerate: %s -->

      Masters and data nodes read a Java properties file (`--config FILE`) plus `--set
      key=value` overrides; the `raftfs` command reads `~/.raftfs/raftfs.conf` or `--conf
      FILE`. Every key is checked at start-up: a bad value, a missing required key or an
      unknown key under `raftfs.` stops the process with one line naming it (and the known
      key nearest to a misspelt one). Commented examples with every key are in
      [deploy/src/conf/](../deploy/src/conf/).

      A `duration (ms)` is milliseconds, or carries a unit: `500ms`, `30s`, `5m`, `1h`, `1d`; a
      `duration (h)` is hours, or carries one of the same units (`14d`, `30s`).
      A `size (bytes)` is bytes, or carries a binary unit: `64KiB`, `256MiB`, `10GiB` (or
      `k`, `m`, `g`, `t`). Numbers may group digits with `_`.
      """
          .formatted(REGENERATE);

  private ConfigurationPage() {}

  static String render() {
    return ConfigDoc.page(PREAMBLE, KEY_SETS);
  }
}
