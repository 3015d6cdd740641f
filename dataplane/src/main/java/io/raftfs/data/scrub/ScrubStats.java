package io.raftfs.data.scrub;

/**
 * What a data node's scrubber has done since the node started.
 *
 * @param bytesPerSecond the configured ceiling on its rate; 0 when the scrubber is off
 * @param periodMillis time from the start of one pass to the start of the next
 * @param bytesScanned bytes read and checked
 * @param blocksScanned blocks read to the end and found intact
 * @param corruptFound replicas found corrupt (each is reported to the masters)
 * @param passesCompleted passes over every block stored when the pass began
 * @param yields ticks it read nothing because clients were moving blocks
 */
public record ScrubStats(
    long bytesPerSecond,
    long periodMillis,
    long bytesScanned,
    long blocksScanned,
    long corruptFound,
    long passesCompleted,
    long yields) {}
