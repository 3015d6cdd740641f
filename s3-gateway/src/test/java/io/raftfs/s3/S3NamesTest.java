package io.raftfs.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class S3NamesTest {
  @Test
  void bucketsAreTopLevelDirectoriesWithS3sNames() {
    assertEquals("/photos-2026.eu", S3Names.bucketPath("photos-2026.eu"));
    for (String bad :
        new String[] {
          "ab",
          "Upper",
          "under_score",
          "a..b",
          "-dash",
          "dot.",
          "a.-b",
          "a-.b",
          "192.168.5.123",
          "x".repeat(64)
        }) {
      S3Exception e = assertThrows(S3Exception.class, () -> S3Names.bucketPath(bad), bad);
      assertEquals("InvalidBucketName", e.code());
      assertEquals(400, e.status());
    }
  }

  @Test
  void keysArePathsBelowTheBucket() {
    assertEquals("/b1b/a/b c/d.txt", S3Names.objectPath("b1b", "a/b c/d.txt"));
    for (String bad : new String[] {"/lead", "trail/", "a//b", "a/./b", "a/../b", ".", ".."}) {
      S3Exception e = assertThrows(S3Exception.class, () -> S3Names.objectPath("b1b", bad), bad);
      assertEquals("InvalidArgument", e.code());
    }
    S3Exception tooLong =
        assertThrows(S3Exception.class, () -> S3Names.objectPath("b1b", "é".repeat(513)));
    assertEquals("KeyTooLongError", tooLong.code());
  }
}
