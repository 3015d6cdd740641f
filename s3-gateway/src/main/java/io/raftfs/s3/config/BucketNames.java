package io.raftfs.s3.config;

import io.raftfs.config.ConfigType;
import io.raftfs.s3.S3Names;
import java.util.Arrays;
import java.util.List;

/** A setting's type: comma-separated S3 bucket names, each one S3 allows. */
final class BucketNames implements ConfigType<List<String>> {
  static final BucketNames TYPE = new BucketNames();

  private BucketNames() {}

  @Override
  public String name() {
    return "bucket list";
  }

  @Override
  public List<String> parse(String text) {
    List<String> buckets =
        Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    for (String bucket : buckets) {
      if (!S3Names.validBucket(bucket)) {
        throw new IllegalArgumentException("'" + bucket + "' is not a bucket name");
      }
    }
    return buckets;
  }

  @Override
  public String format(List<String> value) {
    return String.join(",", value);
  }
}
