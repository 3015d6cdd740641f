package io.raftfs.data.scrub;

/**
 * What a data node's scrubber has done since the node started.
 *
 * @param bytesPerSecond the configured rate; 0 when the scrubber is off
 * @param bytesScanned bytes read and checked
 * @param blocksScanned blocks read to the end and found intact
 * @param corruptFound replicas found corrupt (each is reported to the masters)
 * @param passesCompleted passes over every block stored when the pass began
 */
public record ScrubStats(
    long bytesPerSecond,
    long bytesScanned,
    long blocksScanned,
    long corruptFound,
    long passesCompleted) {}
