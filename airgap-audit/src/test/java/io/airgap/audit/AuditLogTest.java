package io.airgap.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.audit.note.NoteSigner;
import io.airgap.audit.tree.MerkleProofs;
import io.airgap.audit.tree.ProofVerifier;
import io.airgap.audit.tree.Rfc6962;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending, reopening, verifying and proving, and every tampering detected. */
class AuditLogTest {
  private static final String ORIGIN = "audit.example.org/test";
  private static final NoteSigner SIGNER = NoteSigner.generate(ORIGIN);

  @TempDir Path temp;

  private static AuditEvent event(int i) {
    return new AuditEvent(
        Instant.parse("2026-11-26T12:00:00Z").plusSeconds(i),
        "svc-" + (i % 3),
        "model.run",
        "fraud/detector@sha256:" + "ab".repeat(32),
        "success",
        Map.of("request", "r-" + i));
  }

  private AuditLog open(Path directory) {
    return AuditLog.builder(directory).origin(ORIGIN).signer(SIGNER).open();
  }

  private static List<AuditReceipt> appendAll(AuditLog log, int from, int to) {
    List<CompletableFuture<AuditReceipt>> futures = new ArrayList<>();
    for (int i = from; i < to; i++) {
      futures.add(log.appendAsync(event(i)));
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private static AuditVerifier verifier() {
    return new AuditVerifier(List.of(SIGNER.verifier()));
  }

  @Test
  void appendedEntriesSurviveReopenAndVerify() {
    Path directory = temp.resolve("log");
    List<AuditReceipt> first;
    try (AuditLog log = open(directory)) {
      first = appendAll(log, 0, 300);
      assertThat(log.append(event(300)).index()).isEqualTo(300);
    }
    try (AuditLog log = open(directory)) {
      assertThat(log.checkpoint().size()).isEqualTo(301);
      appendAll(log, 301, 600);
    }

    Checkpoint checkpoint = verifier().verify(directory);

    assertThat(checkpoint.size()).isEqualTo(600);
    assertThat(first.get(17).index()).isEqualTo(17);
    assertThat(first.get(17).leafHash()).isEqualTo(Rfc6962.leafHash(event(17).canonicalJson()));
    TileReader tiles = new TileReader(directory, 600);
    ProofVerifier.verifyInclusion(
        17,
        600,
        first.get(17).leafHash(),
        MerkleProofs.inclusion(17, 600, tiles),
        checkpoint.root());
    assertThat(Files.exists(directory.resolve("tile/0/001"))).isTrue();
    assertThat(Files.exists(directory.resolve("tile/0/002.p/88"))).isTrue();
    assertThat(Files.exists(directory.resolve("tile/1/000.p/2"))).isTrue();
    assertThat(Files.exists(directory.resolve("tile/entries/002.p/88"))).isTrue();
  }

  @Test
  void everySingleByteChangeIsDetected() throws Exception {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 100);
      appendAll(log, 100, 520);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().equals(".lock"))
              .sorted(Comparator.naturalOrder())
              .toList();
    }
    assertThat(files).hasSizeGreaterThan(8);
    for (Path file : files) {
      byte[] original = Files.readAllBytes(file);
      for (int at : new int[] {0, original.length / 2, original.length - 1}) {
        byte[] changed = original.clone();
        changed[at] ^= 0x01;
        Files.write(file, changed);
        assertThatThrownBy(() -> verifier().verify(directory))
            .as("byte %d of %s", at, file)
            .isInstanceOf(LogCorruptedException.class);
        Files.write(file, original);
      }
    }
    assertThat(verifier().verify(directory).size()).isEqualTo(520);
  }

  @Test
  void deletedOrTruncatedFilesAreNamed() throws Exception {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 300);
    }
    Path bundle = directory.resolve("tile/entries/000");
    byte[] original = Files.readAllBytes(bundle);
    Files.write(bundle, java.util.Arrays.copyOf(original, original.length - 5));

    assertThatThrownBy(() -> verifier().verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage(bundle + ": entry 255 is truncated");
    Files.delete(bundle);
    assertThatThrownBy(() -> verifier().verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage(bundle + " is missing");
  }

  @Test
  void rollbackAndForkAreDetectedWithTheVerifierState() throws Exception {
    Path directory = temp.resolve("log");
    Path older = temp.resolve("older");
    Path state = temp.resolve("verifier-state");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 40);
    }
    copy(directory, older);
    try (AuditLog log = open(directory)) {
      appendAll(log, 40, 90);
    }
    verifier().verify(directory, state);
    Path forked = temp.resolve("forked");
    copy(older, forked);
    try (AuditLog log = open(forked)) {
      for (int i = 0; i < 60; i++) {
        log.append(event(1000 + i));
      }
    }

    assertThatThrownBy(() -> verifier().verify(older, state))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage(
            older
                + " holds 40 entries, fewer than the 90 verified before: the log was rolled back");
    assertThatThrownBy(() -> verifier().verify(forked, state))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage(
            forked
                + " is not an extension of the checkpoint verified before at size 90: the log"
                + " forked or was rewritten");
  }

  @Test
  void checkpointSignedByAnotherKeyIsRefused() {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 3);
    }
    AuditVerifier other = new AuditVerifier(List.of(NoteSigner.generate(ORIGIN).verifier()));

    assertThatThrownBy(() -> other.verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessageStartingWith(
            directory.resolve("checkpoint") + ": no signature on the note is by a known key");
  }

  @Test
  void secondWriterIsRefused() {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      assertThatThrownBy(() -> open(directory))
          .isInstanceOf(InputException.class)
          .hasMessage(
              "audit log " + directory + " is already open in this process; one writer at a time");
      // The refused open must not have released the first writer's lock.
      assertThat(log.append(event(0)).index()).isZero();
    }
  }

  @Test
  void oversizeEventIsRefusedBeforeAnythingIsWritten() {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      AuditEvent huge =
          new AuditEvent(Instant.EPOCH, "a", "b", "c", "d", Map.of("blob", "x".repeat(70_000)));

      assertThatThrownBy(() -> log.append(huge))
          .isInstanceOf(FormatException.class)
          .hasMessageStartingWith("audit event b is ")
          .hasMessageEndingWith(" bytes encoded, more than the limit of 65535");
      assertThat(log.checkpoint().size()).isZero();
    }
  }

  @Test
  void tornTailBeyondTheCheckpointIsDiscardedOnReopen() throws Exception {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 10);
    }
    // What a batch killed before its checkpoint leaves behind.
    Files.write(directory.resolve("tile/0/000.p/12"), new byte[12 * 32]);
    Files.write(directory.resolve("tile/entries/000.p/12"), new byte[] {0, 1, 7});
    Files.write(directory.resolve("tile/0/.000.tmp"), new byte[] {1});

    try (AuditLog log = open(directory)) {
      assertThat(log.checkpoint().size()).isEqualTo(10);
      assertThat(Files.exists(directory.resolve("tile/0/000.p/12"))).isFalse();
      assertThat(log.append(event(10)).index()).isEqualTo(10);
    }
    assertThat(verifier().verify(directory).size()).isEqualTo(11);
  }

  @Test
  void tlogProofRoundTripsAndProvesTheEntryOffline() {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 1000);
    }
    AuditLogReader reader = AuditLogReader.open(directory, List.of(SIGNER.verifier()));
    byte[] entry = reader.entry(777);
    String file = reader.prove(777).encode();

    TlogProof parsed =
        TlogProof.parse(file.getBytes(java.nio.charset.StandardCharsets.UTF_8), "777.tlog-proof");

    assertThat(entry).isEqualTo(event(777).canonicalJson());
    assertThat(file).startsWith("c2sp.org/tlog-proof@v1\nindex 777\n");
    assertThat(parsed.verify(entry, List.of(SIGNER.verifier())).size()).isEqualTo(1000);
    assertThatThrownBy(() -> parsed.verify(event(778).canonicalJson(), List.of(SIGNER.verifier())))
        .isInstanceOf(io.airgap.audit.tree.ProofException.class)
        .hasMessage("inclusion proof for entry 777 at size 1000 leads to another root");
    assertThatThrownBy(() -> reader.prove(1000))
        .isInstanceOf(io.airgap.audit.tree.ProofException.class)
        .hasMessage("entry 1000 is outside the log, which holds 1000 entries");
    assertThatThrownBy(() -> TlogProof.parse("garbage".getBytes(), "g.tlog-proof"))
        .isInstanceOf(FormatException.class)
        .hasMessage("g.tlog-proof is not a tlog-proof: no blank line before the checkpoint");
  }

  @Test
  void consistencyProofsBetweenAnySizesVerify() {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 700);
    }
    AuditLogReader reader = AuditLogReader.open(directory, List.of(SIGNER.verifier()));

    for (long from : new long[] {1, 255, 256, 257, 511, 699, 700}) {
      ProofVerifier.verifyConsistency(
          from, 700, reader.root(from), reader.checkpoint().root(), reader.consistency(from, 700));
    }
  }

  @Test
  void failedCommitFailsItsCallersAndTheLogReopensValid() throws Exception {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 255);
      // An I/O failure on the next commit, which must create tile/1/: a file stands there.
      Path blocker = Files.write(directory.resolve("tile/1"), new byte[] {1});
      assertThatThrownBy(() -> log.append(event(255)))
          .isInstanceOf(InputException.class)
          .hasMessageStartingWith("cannot write " + directory.resolve("tile/1/000.p/1"));
      assertThat(log.checkpoint().size()).isEqualTo(255);
      Files.delete(blocker);
      assertThat(log.append(event(255)).index()).isEqualTo(255);
    }
    assertThat(verifier().verify(directory).size()).isEqualTo(256);
  }

  @Test
  void checkpointClaimingMoreEntriesThanExistIsCaught() throws Exception {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 5);
    }
    Checkpoint lie = new Checkpoint(ORIGIN, 9, Rfc6962.emptyRoot());
    Files.writeString(directory.resolve("checkpoint"), lie.sign(SIGNER));

    assertThatThrownBy(() -> verifier().verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage(directory.resolve("tile/entries/000.p/9") + " is missing");
  }

  @Test
  void eventThatIsNotValidUnicodeIsRefused() {
    AuditEvent broken = new AuditEvent(Instant.EPOCH, "a\uD800", "b", "c", "d", Map.of());

    assertThatThrownBy(broken::canonicalJson)
        .isInstanceOf(FormatException.class)
        .hasMessage("audit event field actor is not valid Unicode (unpaired surrogate)");
  }

  @Test
  void bufferedModeWritesTheSameVerifiableLog() {
    Path directory = temp.resolve("log");
    try (AuditLog log =
        AuditLog.builder(directory)
            .origin(ORIGIN)
            .signer(SIGNER)
            .durability(Durability.BUFFERED)
            .batchSize(64)
            .maxBatchDelay(java.time.Duration.ofMillis(1))
            .open()) {
      appendAll(log, 0, 300);
    }
    AuditLogReader reader = AuditLogReader.open(directory, List.of(SIGNER.verifier()));

    assertThat(verifier().verify(directory).size()).isEqualTo(300);
    assertThat(
            verifier()
                .verifyProof(
                    reader.prove(299).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    reader.entry(299),
                    "299.tlog-proof")
                .size())
        .isEqualTo(300);
  }

  @Test
  void missingCheckpointOverExistingEntriesIsRefusedNotRestarted() throws Exception {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 3);
    }
    Files.delete(directory.resolve("checkpoint"));

    assertThatThrownBy(() -> open(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage(
            directory.resolve("checkpoint")
                + " is missing but "
                + directory.resolve("tile")
                + " holds entries; restore the checkpoint from a backup");
    assertThat(Files.exists(directory.resolve("tile/entries/000.p/3"))).isTrue();
  }

  @Test
  void addedFilesAndNonCanonicalEncodingsAreCaught() throws Exception {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 3);
    }
    Path extraTile = Files.createDirectories(directory.resolve("tile/0")).resolve("notes.txt");
    Files.write(extraTile, new byte[8192]);
    assertThatThrownBy(() -> verifier().verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage("unexpected file " + extraTile + " in the log");
    Files.delete(extraTile);

    Path stray = Files.writeString(directory.resolve("checkpoint.old"), "x");
    assertThatThrownBy(() -> verifier().verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage("unexpected " + stray + " in the log");
    Files.delete(stray);

    Path checkpoint = directory.resolve("checkpoint");
    String note = Files.readString(checkpoint);
    Files.writeString(checkpoint, note.replace("=\n\n", "\n\n"));
    assertThatThrownBy(() -> verifier().verify(directory))
        .isInstanceOf(LogCorruptedException.class);
    Files.writeString(checkpoint, note);
    assertThat(verifier().verify(directory).size()).isEqualTo(3);
  }

  @Test
  void filesBeyondTheCheckpointThatNoCommitCoversAreReported() throws Exception {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 3);
    }
    // What a commit leaves when it dies after writing its tiles, before its checkpoint; or what
    // is left when an older checkpoint is copied over the current one.
    Path ahead = Files.createDirectories(directory.resolve("tile/0/000.p")).resolve("5");
    Files.write(ahead, new byte[5 * 32]);

    assertThatThrownBy(() -> verifier().verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage(
            "unexpected file "
                + ahead
                + " in the log: it lies beyond the checkpoint at size 3 and no commit covered it"
                + " within 2 s (a crashed commit leaves such files and reopening the log removes"
                + " them; an older checkpoint copied over the current one leaves them too)");

    try (AuditLog log = open(directory)) { // reopening removes the crashed commit's files
      assertThat(log.checkpoint().size()).isEqualTo(3);
    }
    assertThat(verifier().verify(directory).size()).isEqualTo(3);
  }

  @Test
  void anOlderCheckpointCopiedOverTheCurrentOneIsCaughtWithoutAState() throws Exception {
    Path directory = temp.resolve("log");
    byte[] older;
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 3);
      older = Files.readAllBytes(directory.resolve("checkpoint"));
      appendAll(log, 3, 9);
    }
    Files.write(directory.resolve("checkpoint"), older);

    assertThatThrownBy(() -> verifier().verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessageStartingWith("unexpected file ")
        .hasMessageContaining(" in the log: it lies beyond the checkpoint at size 3 ");
  }

  @Test
  void aLogVerifiesWhileItsWriterAppends() throws Exception {
    Path directory = temp.resolve("log");
    java.util.concurrent.atomic.AtomicReference<Throwable> writerFailure =
        new java.util.concurrent.atomic.AtomicReference<>();
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 1);
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 1; i < 300; i++) {
                    log.append(event(i)); // one commit each: many checkpoints to race with
                  }
                } catch (Throwable e) {
                  writerFailure.set(e);
                }
              });
      writer.start();
      long last = 0;
      int verifications = 0;
      while (writer.isAlive()) {
        long size = verifier().verify(directory).size();
        assertThat(size).isGreaterThanOrEqualTo(last);
        last = size;
        verifications++;
      }
      writer.join();
      assertThat(verifications).as("verifications that raced the writer").isGreaterThan(1);
    }
    assertThat(writerFailure.get()).isNull();
    assertThat(verifier().verify(directory).size()).isEqualTo(300);
  }

  @Test
  void checkpointOfAnotherLogIsRefused() {
    Path directory = temp.resolve("log");
    try (AuditLog log = open(directory)) {
      appendAll(log, 0, 2);
    }
    AuditVerifier other = new AuditVerifier(List.of(SIGNER.verifier()), "other.example.org/log");

    assertThatThrownBy(() -> other.verify(directory))
        .isInstanceOf(LogCorruptedException.class)
        .hasMessage(
            directory.resolve("checkpoint")
                + " is a checkpoint of '"
                + ORIGIN
                + "', not of 'other.example.org/log'");
  }

  @Test
  void canonicalJsonSortsKeysAndHasNoWhitespace() {
    AuditEvent event =
        new AuditEvent(
            Instant.parse("2026-11-26T12:00:00Z"),
            "ops",
            "model.load",
            "m",
            "success",
            Map.of("z", "1", "a", "é"));

    assertThat(new String(event.canonicalJson(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"action\":\"model.load\",\"actor\":\"ops\",\"attributes\":{\"a\":\"é\",\"z\":\"1\"},"
                + "\"outcome\":\"success\",\"subject\":\"m\",\"timestamp\":\"2026-11-26T12:00:00Z\"}");
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path path : walk.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else if (!path.getFileName().toString().equals(".lock")) {
          Files.copy(path, target);
        }
      }
    }
  }
}
