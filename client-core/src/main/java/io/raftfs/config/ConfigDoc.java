package io.raftfs.config;

import java.util.List;

/**
 * Writes the reference of one or more {@link ConfigKeySet}s as Markdown: one section per set, one
 * table row per key. docs/configuration.md is this output.
 */
public final class ConfigDoc {
  private ConfigDoc() {}

  /** The page: {@code preamble} (Markdown, ending in a blank line), then a section per set. */
  public static String page(String preamble, List<ConfigKeySet> sets) {
    StringBuilder page = new StringBuilder(preamble);
    for (ConfigKeySet set : sets) {
      page.append('\n').append(section(set));
    }
    return page.toString();
  }

  /** One set: a heading, its summary and the table of its keys. */
  public static String section(ConfigKeySet set) {
    StringBuilder section = new StringBuilder();
    section.append("## ").append(set.title()).append("\n\n");
    section.append(set.summary()).append("\n\n");
    section.append("| key | type | default | valid values | meaning |\n");
    section.append("| --- | --- | --- | --- | --- |\n");
    for (ConfigKey<?> key : set.keys()) {
      section
          .append("| `")
          .append(key.name())
          .append("` | ")
          .append(cell(key.type().name()))
          .append(" | ")
          .append(cell(key.describeDefault()))
          .append(" | ")
          .append(cell(key.describeValid()))
          .append(" | ")
          .append(cell(key.doc()))
          .append(" |\n");
    }
    return section.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
