package io.raftfs.client;

/**
 * What lies under a path.
 *
 * @param length bytes in all files
 * @param replicatedLength bytes stored on data nodes, counting every replica
 * @param files number of files
 * @param directories number of directories, the path itself included when it is one
 */
public record ContentSummary(long length, long replicatedLength, long files, long directories) {

  ContentSummary plus(ContentSummary other) {
    return new ContentSummary(
        length + other.length,
        replicatedLength + other.replicatedLength,
        files + other.files,
        directories + other.directories);
  }
}
