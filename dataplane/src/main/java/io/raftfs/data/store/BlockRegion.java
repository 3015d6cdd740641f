package io.raftfs.data.store;

import java.nio.file.Path;

/** Where a stored block's bytes are: {@code length} bytes of {@code file} from {@code offset}. */
public record BlockRegion(Path file, long offset, long length) {}
