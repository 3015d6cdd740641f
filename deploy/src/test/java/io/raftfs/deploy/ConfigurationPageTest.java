package io.raftfs.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is what the key declarations say. With {@code -Draftfs.rewrite=true} the
 * test writes the page instead of failing, to be reviewed as a diff.
 */
class ConfigurationPageTest {
  private static final Path COMMITTED = Path.of("..", "docs", "configuration.md");
  private static final Path BUILT = Path.of("target", "configuration.md");

  @Test
  void theCommittedPageIsCurrent() throws IOException {
    String page = ConfigurationPage.render();
    Files.createDirectories(BUILT.getParent());
    Files.writeString(BUILT, page);
    if (Boolean.getBoolean("raftfs.rewrite")) {
      Files.writeString(COMMITTED, page);
    }
    String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "";
    if (!committed.equals(page)) {
      fail("docs/configuration.md is out of date; regenerate it: " + ConfigurationPage.REGENERATE);
    }
  }
}
