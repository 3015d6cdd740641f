package io.raftfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.map.TokenCounterMapper;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.reduce.IntSumReducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real MapReduce job on raftfs: the local job runner counts the words of an input directory and
 * its committer renames the output into place, while the Raft leader's JVM is killed (SIGKILL) in
 * the middle of the map phase.
 */
class WordCountJobTest {
  private static final String[] WORDS = {"raft", "log", "block", "leader", "node", "chain"};
  private static final int FILES = 4;
  private static final int LINES = 2000;

  /** Kills the leader from inside the first map task; the job must not notice. */
  private static volatile Runnable duringFirstMap = () -> {};

  private static final AtomicBoolean FIRST_MAP = new AtomicBoolean(true);

  @TempDir Path dir;

  @Test
  void wordCountSurvivesALeaderKillAndCommitsItsOutput() throws Exception {
    try (MiniRaftfsCluster cluster =
        MiniRaftfsCluster.builder()
            .dataNodes(3)
            .separateJvms()
            .build()
            .start(dir.resolve("cluster"))) {
      Configuration conf = SharedCluster.withCredentials(new Configuration(), cluster);
      conf.setBoolean("fs.raftfs.impl.disable.cache", true);
      conf.set("hadoop.tmp.dir", dir.resolve("hadoop").toString());
      conf.set("mapreduce.framework.name", "local");
      String root = SharedCluster.uri(cluster).toString();
      org.apache.hadoop.fs.Path input = new org.apache.hadoop.fs.Path(root + "wc/in");
      org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path(root + "wc/out");
      Map<String, Integer> expected;
      try (FileSystem fs = FileSystem.get(SharedCluster.uri(cluster), conf)) {
        expected = writeInput(fs, input);
      }
      MasterGroup masters = cluster.masters();
      int firstLeader = masters.awaitLeader();
      duringFirstMap = () -> masters.kill(firstLeader);

      Job job = Job.getInstance(conf, "raftfs word count");
      job.setJarByClass(WordCountJobTest.class);
      job.setMapperClass(LeaderStoppingMapper.class);
      job.setCombinerClass(IntSumReducer.class);
      job.setReducerClass(IntSumReducer.class);
      job.setOutputKeyClass(Text.class);
      job.setOutputValueClass(IntWritable.class);
      FileInputFormat.addInputPath(job, input);
      FileOutputFormat.setOutputPath(job, output);

      assertTrue(job.waitForCompletion(false), "the job failed");

      assertNotEquals(firstLeader, masters.awaitLeader());
      try (FileSystem fs = FileSystem.get(SharedCluster.uri(cluster), conf)) {
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(output, "_SUCCESS")));
        assertEquals(expected, readCounts(fs, output));
      }
    } finally {
      duringFirstMap = () -> {};
    }
  }

  private static Map<String, Integer> writeInput(FileSystem fs, org.apache.hadoop.fs.Path input)
      throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    Random random = new Random(11);
    for (int f = 0; f < FILES; f++) {
      try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(input, "part-" + f))) {
        for (int line = 0; line < LINES; line++) {
          StringBuilder text = new StringBuilder();
          for (int w = 0, n = 1 + random.nextInt(8); w < n; w++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            counts.merge(word, 1, Integer::sum);
            text.append(word).append(' ');
          }
          out.write(text.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return counts;
  }

  private static Map<String, Integer> readCounts(FileSystem fs, org.apache.hadoop.fs.Path output)
      throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    for (FileStatus part : fs.listStatus(output, path -> path.getName().startsWith("part-r-"))) {
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          String[] fields = line.split("\t");
          counts.put(fields[0], Integer.parseInt(fields[1]));
        }
      }
    }
    return counts;
  }

  /** Counts words; the first map task of the JVM kills the Raft leader before it reads. */
  public static final class LeaderStoppingMapper extends TokenCounterMapper {
    @Override
    protected void setup(Context context) {
      if (FIRST_MAP.compareAndSet(true, false)) {
        duringFirstMap.run();
      }
    }
  }
}
