package io.airgap.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.InputException;
import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Streaming, parallel hashing gives the same digests as hashing the bytes in one piece. */
class ParallelHasherTest {
  @TempDir Path temp;

  @ParameterizedTest
  @CsvSource({
    "SHA256, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "BLAKE2B, ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    "BLAKE3, 6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
  })
  void knownAnswersForAbc(HashAlgorithm algorithm, String hex) throws Exception {
    Path file = Files.writeString(temp.resolve("abc"), "abc", StandardCharsets.US_ASCII);

    try (ParallelHasher hasher = ParallelHasher.create(2, 4096)) {
      assertThat(hasher.hash(List.of(FileRegion.whole(file, 3)), algorithm).get(0).hex())
          .isEqualTo(hex);
    }
    assertThat(algorithm.hash("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(hex);
  }

  @ParameterizedTest
  @CsvSource({"SHA256", "BLAKE2B", "BLAKE3"})
  void regionsLargerThanTheBufferMatchOneShotHashing(HashAlgorithm algorithm) throws Exception {
    byte[] bytes = new byte[100_003];
    new Random(1).nextBytes(bytes);
    Path file = Files.write(temp.resolve("random"), bytes);

    List<Digest> digests;
    try (ParallelHasher hasher = ParallelHasher.create(2, 4096)) {
      digests =
          hasher.hash(
              List.of(
                  FileRegion.whole(file, bytes.length),
                  FileRegion.range(file, 0, 50_000),
                  FileRegion.range(file, 50_000, 100_003),
                  FileRegion.range(file, 7, 7)),
              algorithm);
    }

    assertThat(digests)
        .containsExactly(
            algorithm.hash(bytes),
            algorithm.hash(java.util.Arrays.copyOfRange(bytes, 0, 50_000)),
            algorithm.hash(java.util.Arrays.copyOfRange(bytes, 50_000, 100_003)),
            algorithm.hash(new byte[0]));
  }

  @Test
  void rangesBeyondTwoGibibytesWork() throws Exception {
    Path file = temp.resolve("sparse");
    long offset = (1L << 31) + 5;
    byte[] tail = "beyond 2 GiB".getBytes(StandardCharsets.US_ASCII);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(tail);
    }

    try (ParallelHasher hasher = ParallelHasher.create(1, 4096)) {
      Digest digest =
          hasher
              .hash(
                  List.of(FileRegion.range(file, offset, offset + tail.length)),
                  HashAlgorithm.SHA256)
              .get(0);
      assertThat(digest).isEqualTo(HashAlgorithm.SHA256.hash(tail));
    }
  }

  @Test
  void fileShorterThanItsRegionIsAnError() throws Exception {
    Path file = Files.write(temp.resolve("short"), new byte[10]);

    try (ParallelHasher hasher = ParallelHasher.create(1, 4096)) {
      assertThatThrownBy(
              () -> hasher.hash(List.of(FileRegion.range(file, 0, 20)), HashAlgorithm.SHA256))
          .isInstanceOf(InputException.class)
          .hasMessage(file + " ended at byte 10, before byte 20; it changed while being hashed");
    }
  }

  @Test
  void unreadableFileIsNamed() throws Exception {
    Path file = Files.write(temp.resolve("locked"), new byte[10]);
    file.toFile().setReadable(false);
    org.assertj.core.api.Assumptions.assumeThat(Files.isReadable(file))
        .as("not running as a user who reads everything")
        .isFalse();

    try (ParallelHasher hasher = ParallelHasher.create(1, 4096)) {
      assertThatThrownBy(
              () -> hasher.hash(List.of(FileRegion.whole(file, 10)), HashAlgorithm.SHA256))
          .isInstanceOf(InputException.class)
          .hasMessage("cannot read " + file + ": " + file);
    }
  }

  @Test
  void readErrorNamesTheFile() throws Exception {
    // Reading a directory fails for every user, root included, through the same path as EIO.
    Path directory = Files.createDirectory(temp.resolve("dir"));

    try (ParallelHasher hasher = ParallelHasher.create(1, 4096)) {
      assertThatThrownBy(
              () -> hasher.hash(List.of(FileRegion.whole(directory, 0)), HashAlgorithm.SHA256))
          .isInstanceOf(InputException.class)
          .hasMessage("cannot read " + directory + ": Is a directory");
    }
  }

  @Test
  void wholeFileThatGrewIsAnError() throws Exception {
    Path file = Files.write(temp.resolve("grown"), new byte[20]);

    try (ParallelHasher hasher = ParallelHasher.create(1, 4096)) {
      assertThatThrownBy(
              () -> hasher.hash(List.of(FileRegion.whole(file, 10)), HashAlgorithm.SHA256))
          .isInstanceOf(InputException.class)
          .hasMessage(
              file + " has grown past its listed size of 10 bytes; it changed while being hashed");
    }
  }

  @Test
  void pathThatBecameALinkIsNotFollowedWhenLinksAreRefused() throws Exception {
    Path target = Files.write(temp.resolve("target"), new byte[10]);
    Path link = Files.createSymbolicLink(temp.resolve("link"), target);

    try (ParallelHasher hasher = ParallelHasher.create(1, 4096)) {
      assertThatThrownBy(
              () -> hasher.hash(List.of(FileRegion.whole(link, 10)), HashAlgorithm.SHA256, false))
          .isInstanceOf(InputException.class)
          .hasMessage(link + " became a symbolic link; it changed while being hashed");
      assertThat(hasher.hash(List.of(FileRegion.whole(link, 10)), HashAlgorithm.SHA256, true))
          .containsExactly(HashAlgorithm.SHA256.hash(new byte[10]));
    }
  }

  @Test
  void vanishedFileIsNamed() {
    Path gone = temp.resolve("gone");

    try (ParallelHasher hasher = ParallelHasher.create(1, 4096)) {
      assertThatThrownBy(
              () -> hasher.hash(List.of(FileRegion.whole(gone, 1)), HashAlgorithm.SHA256))
          .isInstanceOf(InputException.class)
          .hasMessage(gone + " disappeared while being hashed");
    }
  }

  @Test
  void digestsCompareByValueAndPrintWithTheirAlgorithm() {
    Digest a = Digest.fromHex(HashAlgorithm.SHA256, "AB".repeat(32), "test");

    assertThat(a).isEqualTo(Digest.fromHex(HashAlgorithm.SHA256, "ab".repeat(32), "test"));
    assertThat(a.toString()).isEqualTo("sha256:" + "ab".repeat(32));
    assertThatThrownBy(() -> Digest.fromHex(HashAlgorithm.SHA256, "zz".repeat(32), "resources[3]"))
        .hasMessage("resources[3]: '" + "zz".repeat(32) + "' is not hexadecimal");
  }
}
