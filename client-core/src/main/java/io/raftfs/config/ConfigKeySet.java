package io.raftfs.config;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Every key one kind of process reads (a master, a data node, a client), in the order the docs list
 * them. Any other key under {@code raftfs.} is a mistake that stops the process: a misspelt key
 * would otherwise be ignored and its default used without a word. Keys outside {@code raftfs.} are
 * left to whoever reads them (a master hands {@code raft.*} to Ratis).
 */
public final class ConfigKeySet {
  /** The prefix every raftfs key has and {@link #checkKnown} guards. */
  public static final String RAFTFS_PREFIX = "raftfs.";

  private final String title;
  private final String summary;
  private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();

  private ConfigKeySet(String title, String summary, List<ConfigKey<?>> keys) {
    this.title = title;
    this.summary = summary;
    for (ConfigKey<?> key : keys) {
      if (!key.name().startsWith(RAFTFS_PREFIX)) {
        throw new IllegalArgumentException(key + " is not under " + RAFTFS_PREFIX);
      }
      if (this.keys.put(key.name(), key) != null) {
        throw new IllegalArgumentException(key + " is declared twice");
      }
    }
  }

  /**
   * @param title what the keys configure, e.g. "Data node"
   * @param summary one or two sentences for the docs: which file and command read them
   */
  public static ConfigKeySet of(String title, String summary, List<ConfigKey<?>> keys) {
    return new ConfigKeySet(title, summary, keys);
  }

  public String title() {
    return title;
  }

  public String summary() {
    return summary;
  }

  public List<ConfigKey<?>> keys() {
    return List.copyOf(keys.values());
  }

  public boolean contains(String name) {
    return keys.containsKey(name);
  }

  /**
   * @throws ConfigException naming the first unknown {@code raftfs.} key (in sorted order) and the
   *     known key nearest to it, if one is near enough to be a likely typo
   */
  public void checkKnown(Properties properties) {
    Optional<String> unknown =
        properties.stringPropertyNames().stream()
            .filter(name -> name.startsWith(RAFTFS_PREFIX) && !keys.containsKey(name))
            .sorted()
            .findFirst();
    if (unknown.isPresent()) {
      String name = unknown.get();
      throw new ConfigException(
          "unknown key "
              + name
              + nearest(name).map(known -> " (did you mean " + known + "?)").orElse(""));
    }
  }

  /** The known key fewest single-character edits away, if at most a third of the name differs. */
  Optional<String> nearest(String name) {
    return keys.keySet().stream()
        .map(known -> Map.entry(known, editDistance(name, known)))
        .filter(entry -> entry.getValue() <= Math.max(2, name.length() / 3))
        .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
        .map(Map.Entry::getKey);
  }

  /** Levenshtein distance, two rows at a time. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
