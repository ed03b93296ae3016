package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI-layout content store: add, list, verify, materialize, and resolving a lock with it. */
class ContentStoreTest {
  @TempDir Path temp;
  private Path files;
  private LockedArtifact model;

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @BeforeEach
  void artifact() throws Exception {
    files = Files.createDirectories(temp.resolve("files"));
    Files.createDirectories(files.resolve("sub"));
    Files.writeString(files.resolve("model.onnx"), "onnx");
    Files.writeString(files.resolve("sub/vocab.txt"), "a\nb\n");
    model =
        new LockedArtifact(
            "fraud",
            ArtifactKind.MODEL,
            new ArtifactSource("directory", Map.of("path", "models/fraud")),
            List.of(
                new LockedFile("model.onnx", 4, sha256("onnx")),
                new LockedFile("sub/vocab.txt", 4, sha256("a\nb\n"))));
  }

  @Test
  void anAddedArtifactIsListedVerifiedAndMaterialized() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    store.add(model, files);

    assertThat(Files.readString(temp.resolve("store/oci-layout")))
        .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    assertThat(store.list()).containsExactly(model);
    assertThat(store.check()).isEmpty();
    store.materialize("fraud", temp.resolve("out"));
    assertThat(Files.readString(temp.resolve("out/sub/vocab.txt"))).isEqualTo("a\nb\n");
    Lockfile lock = new Lockfile(List.of(model));
    assertThat(Resolver.resolve(lock, ContentStore.openOrCreate(temp.resolve("store"))))
        .containsExactly(model);
    // The index names the artifact's manifest; its blobs are the two files, the manifest and
    // nothing else.
    try (Stream<Path> blobs = Files.list(temp.resolve("store/blobs/sha256"))) {
      assertThat(blobs.count()).isEqualTo(4); // the two files, the manifest, the empty config
    }
    assertThat(Files.readString(temp.resolve("store/index.json")))
        .contains("\"org.opencontainers.image.ref.name\": \"fraud\"")
        .contains("\"artifactType\": \"application/vnd.airgap.artifact.v1\"");
  }

  @Test
  void aFileThatIsNotWhatTheArtifactSaysAddsNothing() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Files.writeString(files.resolve("sub/vocab.txt"), "a\nc\n");

    assertThatThrownBy(() -> store.add(model, files))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            files.resolve("sub/vocab.txt")
                + " is 4 bytes with SHA-256 "
                + sha256("a\nc\n")
                + "; sub/vocab.txt should be 4 bytes with "
                + sha256("a\nb\n"));
    assertThat(store.list()).isEmpty();
    Files.writeString(files.resolve("sub/vocab.txt"), "a\nb\nand more");
    assertThatThrownBy(() -> store.add(model, files))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            files.resolve("sub/vocab.txt")
                + " is larger than the 4 bytes recorded for sub/vocab.txt");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void damageIsFoundByVerifyAndByResolve() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    store.add(model, files);
    Files.writeString(store.blob(sha256("onnx")), "ONNX");
    Files.writeString(store.blob("f".repeat(64)), "stray");

    assertThat(store.check())
        .containsExactly(
            "fraud/model.onnx: blob "
                + sha256("onnx")
                + " holds 4 bytes hashing to "
                + sha256("ONNX"));
    // A stray blob is garbage, not damage: listed apart.
    assertThat(store.unreferenced()).containsExactly("f".repeat(64));
    assertThatThrownBy(() -> store.materialize("fraud", temp.resolve("out")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "blob "
                + store.blob(sha256("onnx"))
                + " is not its digest; the store is damaged (run airgap store verify)");
    // Nothing half-written: no target, no partial directory beside it.
    try (var left = Files.list(temp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.equals("out") || n.startsWith(".out.partial-"));
    }
  }

  @Test
  void materializingNeverWritesIntoAnExistingDirectory() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    store.add(model, files);
    Path existing = Files.createDirectories(temp.resolve("release"));
    Files.writeString(existing.resolve("notes.txt"), "keep");

    assertThatThrownBy(() -> Resolver.materialize(new Lockfile(List.of(model)), store, existing))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage(existing + " exists; materialize into a directory that does not exist yet");
    assertThat(existing.resolve("notes.txt")).hasContent("keep");
    Resolver.materialize(new Lockfile(List.of(model)), store, temp.resolve("release2"));
    assertThat(temp.resolve("release2/fraud/sub/vocab.txt")).hasContent("a\nb\n");
  }

  @Test
  void aLockTheStoreDoesNotHoldIsRefusedWithEveryDifference() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    store.add(model, files);
    LockedArtifact changed =
        new LockedArtifact(
            "fraud",
            ArtifactKind.MODEL,
            model.source(),
            List.of(
                new LockedFile("model.onnx", 4, sha256("ONNX")),
                new LockedFile("new.txt", 1, sha256("x"))));
    LockedArtifact absent =
        new LockedArtifact(
            "tokenizer",
            ArtifactKind.TOKENIZER,
            model.source(),
            List.of(new LockedFile("t.json", 2, sha256("{}"))));

    assertThatThrownBy(() -> Resolver.resolve(new Lockfile(List.of(changed)), store))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "the content store differs from the lock: fraud: different model.onnx, missing new.txt, extra sub/vocab.txt");
    assertThatThrownBy(() -> Resolver.resolve(new Lockfile(List.of(model, absent)), store))
        .isInstanceOf(MissingArtifactsException.class)
        .hasMessage("1 artifact(s) not found: tokenizer: not in content store " + store.root());
  }

  @Test
  void openingForReadingNeverCreatesAStore() throws Exception {
    Path typo = temp.resolve("stroe");
    assertThatThrownBy(() -> ContentStore.open(typo))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage("content store " + typo + " does not exist");
    Path emptyMount = Files.createDirectories(temp.resolve("mnt"));
    assertThatThrownBy(() -> ContentStore.open(emptyMount))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage(
            emptyMount
                + " holds no oci-layout; it is not a content store (bundle import creates one)");
    assertThat(typo).doesNotExist();
    assertThat(emptyMount).isEmptyDirectory();
  }

  @Test
  void resolveRefusesMissingAndResizedBlobs() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    store.add(model, files);
    Lockfile lock = new Lockfile(List.of(model));
    Files.delete(store.blob(sha256("onnx")));
    Files.writeString(store.blob(sha256("a\nb\n")), "a\n");

    assertThatThrownBy(() -> Resolver.resolve(lock, ContentStore.open(store.root())))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "the content store differs from the lock: fraud: blob of model.onnx is missing, blob"
                + " of sub/vocab.txt holds 2 bytes, locked 4");
  }

  @Test
  void aDirectoryThatIsNotAStoreIsRefused() throws Exception {
    Files.writeString(Files.createDirectories(temp.resolve("other")).resolve("notes.txt"), "x");

    assertThatThrownBy(() -> ContentStore.openOrCreate(temp.resolve("other")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            temp.resolve("other")
                + " is not empty and holds no oci-layout; it is not a content store");
    try (Stream<Path> left = Files.list(temp.resolve("other"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
    }
    // An index.json of someone else's is not the empty one a cut-short creation leaves.
    Path theirs = Files.createDirectories(temp.resolve("theirs"));
    Files.writeString(theirs.resolve("index.json"), "{\"manifests\": [\"mine\"]}");
    assertThatThrownBy(() -> ContentStore.openOrCreate(theirs))
        .isInstanceOf(FormatException.class)
        .hasMessage(theirs + " is not empty and holds no oci-layout; it is not a content store");
    assertThat(theirs.resolve("index.json")).hasContent("{\"manifests\": [\"mine\"]}");
  }

  @Test
  void aCreationCutShortIsCompletedAndAForeignBlobDirectoryIsNot() throws Exception {
    // What a creation killed before it wrote oci-layout leaves.
    Path cut = Files.createDirectories(temp.resolve("cut/blobs/sha256")).getParent().getParent();
    Files.writeString(cut.resolve(".lock"), "");
    Files.write(cut.resolve("index.json"), OciArtifacts.index(Map.of()));
    Files.writeString(cut.resolve(".oci-layout.123.tmp"), "{");
    Path foreign = Files.createDirectories(temp.resolve("foreign/blobs/sha256"));
    Files.writeString(foreign.resolve("0123"), "x");

    ContentStore completed = ContentStore.openOrCreate(cut);
    completed.add(model, files);
    assertThat(ContentStore.open(cut).list()).containsExactly(model);
    assertThatThrownBy(() -> ContentStore.openOrCreate(temp.resolve("foreign")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            temp.resolve("foreign")
                + " is not empty and holds no oci-layout; it is not a content store");
  }

  @Test
  void writersInOneProcessTakeTurns() throws Exception {
    // One JVM holds file locks for the whole process: without the in-process lock a second writer
    // fails with OverlappingFileLockException, and its closing channel frees the first one's lock.
    Path store = temp.resolve("store");
    List<LockedArtifact> artifacts = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      artifacts.add(new LockedArtifact("fraud-" + i, model.kind(), model.source(), model.files()));
    }
    addAtOnce(artifacts, i -> store);

    assertThat(ContentStore.open(store).list()).containsExactlyInAnyOrderElementsOf(artifacts);
    assertThat(ContentStore.open(store).check()).isEmpty();
  }

  @Test
  void onlyStagingDirectoriesOfImportsThatAreGoneAreRemoved() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Path live = Files.createDirectories(store.root().resolve(".staging-live"));
    Path dead = Files.createDirectories(store.root().resolve(".staging-dead"));
    Files.writeString(dead.resolve(".owner"), "");
    Files.writeString(dead.resolve(sha256("onnx")), "onn");
    Path unlocked = Files.createDirectories(store.root().resolve(".staging-no-owner"));
    Path file = Files.writeString(store.root().resolve(".staging-file"), "not a directory");
    Path setAside = Files.createDirectories(store.root().resolve(".abandoned-12ab/sub"));
    Process holder = holdLock(live.resolve(".owner"));
    try {
      try (StagingDirectory mine = store.newStaging(Progress.NONE);
          StagingDirectory another = store.newStaging(Progress.NONE)) {
        assertThat(mine.path()).isDirectory();
        assertThat(another.path()).isDirectory();
        assertThat(live).isDirectory();
        assertThat(file).isRegularFile();
        assertThat(dead).doesNotExist();
        assertThat(unlocked).doesNotExist();
        assertThat(setAside.getParent()).doesNotExist();
      }
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      holder.destroyForcibly();
    }
    try (StagingDirectory next = store.newStaging(Progress.NONE)) {
      assertThat(live).doesNotExist();
    }
    try (Stream<Path> entries = Files.list(store.root())) {
      assertThat(entries.map(p -> p.getFileName().toString()).sorted())
          .containsExactly(".lock", ".staging-file", "blobs", "index.json", "oci-layout");
    }
  }

  @Test
  void anImportWaitingForAnotherProcessSaysSo() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Process holder = holdLock(store.root().resolve(".lock"));
    List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    Progress progress =
        new Progress() {
          @Override
          public void start(String what, long totalBytes) {}

          @Override
          public void advance(long bytes) {}

          @Override
          public void finish() {}

          @Override
          public void note(String message) {
            notes.add(message);
          }
        };
    java.util.concurrent.CompletableFuture<StagingDirectory> staging =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> store.newStaging(progress));
    try {
      for (int i = 0; i < 3000 && notes.isEmpty() && !staging.isDone(); i++) {
        Thread.sleep(10); // at most 30 s
      }
      assertThat(staging).isNotDone();
      assertThat(notes)
          .containsExactly(
              "waiting for another process writing content store "
                  + store.root()
                  + " (it holds "
                  + store.root().resolve(".lock")
                  + ")");
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    staging.get(30, java.util.concurrent.TimeUnit.SECONDS).close();
  }

  /** A child process holding a lock on {@code file} until its input closes. */
  private static Process holdLock(Path file) throws Exception {
    Process holder = ChildJvm.start(HoldLockMain.class, file.toString());
    String line = ChildJvm.output(holder).readLine();
    assertThat(line).isEqualTo("locked");
    return holder;
  }

  @Test
  void writersReachingOneStoreThroughALinkTakeTurnsToo() throws Exception {
    // File locks belong to the file, not its path: a store reached as DIR and through a link to
    // DIR is one lock, in this process as in the operating system.
    Path real = temp.resolve("store");
    ContentStore.openOrCreate(real);
    Path link = Files.createSymbolicLink(temp.resolve("link"), real);
    List<LockedArtifact> artifacts = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      artifacts.add(new LockedArtifact("fraud-" + i, model.kind(), model.source(), model.files()));
    }
    addAtOnce(artifacts, i -> i % 2 == 0 ? real : link);

    assertThat(ContentStore.open(real).list()).containsExactlyInAnyOrderElementsOf(artifacts);
  }

  @Test
  void aStagingDirectoryOwnedHereStaysLockedWhenTheStoreIsReachedThroughALink() throws Exception {
    Path real = temp.resolve("store");
    ContentStore.openOrCreate(real);
    Path link = Files.createSymbolicLink(temp.resolve("link"), real);

    try (StagingDirectory mine = ContentStore.open(link).newStaging(Progress.NONE)) {
      Path owner = real.resolve(mine.path().getFileName()).resolve(".owner");
      ContentStore.open(real).newStaging(Progress.NONE).close(); // sweeps, sees it is ours

      assertThat(owner).exists();
      assertThat(tryLockInAnotherProcess(owner)).isEqualTo("held");
    }
  }

  @Test
  void aManifestThatIsNotItsDigestIsDamageNotAnArtifact() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    store.add(model, files);
    Path manifest = store.blob(DepsFiles.sha256(OciArtifacts.manifest(model)));
    Files.writeString(
        manifest, Files.readString(manifest).replace("models/fraud", "models/fraud2"));

    assertThatThrownBy(() -> store.materialize("fraud", temp.resolve("out")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "the manifest of fraud ("
                + manifest
                + ") is not its digest; the store is damaged (run airgap store verify)");
    assertThat(temp.resolve("out")).doesNotExist();
  }

  @Test
  void aBlobLargerThanRecordedIsDamageWhenMaterialized() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    store.add(model, files);
    Path blob = store.blob(sha256("onnx"));
    Files.writeString(blob, "onnx and more");

    assertThatThrownBy(() -> store.materialize("fraud", temp.resolve("out")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "blob " + blob + " is not its digest; the store is damaged (run airgap store verify)");
    assertThat(temp.resolve("out")).doesNotExist();
  }

  private static String tryLockInAnotherProcess(Path file) throws Exception {
    Process child = ChildJvm.start(TryLockMain.class, file.toString());
    String line = ChildJvm.output(child).readLine();
    child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    return line;
  }

  @Test
  void onlyAStoreHoldingNothingIsDeleted() throws Exception {
    ContentStore empty = ContentStore.openOrCreate(temp.resolve("empty"));
    ContentStore full = ContentStore.openOrCreate(temp.resolve("full"));
    full.add(model, files);

    assertThat(empty.deleteIfEmpty()).isTrue();
    assertThat(temp.resolve("empty")).doesNotExist();
    assertThat(full.deleteIfEmpty()).isFalse();
    assertThat(ContentStore.open(temp.resolve("full")).list()).containsExactly(model);
  }

  @Test
  void aWriterThatGetsALockFileUnlinkedMeanwhileTakesTheNewOne() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Path lockFile = store.root().resolve(".lock");
    Process holder = holdLock(lockFile);
    List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<String> waiting = waitingWriter(store, notes);
    Files.delete(lockFile); // as deleteIfEmpty does, while the other process holds it
    holder.getOutputStream().close();
    holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);

    // Held on the file now at the path, not on the unlinked one another writer would not see.
    assertThat(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("held");
    assertThat(notes).hasSize(1);
  }

  @Test
  void aThreadWaitingHereForALockFileUnlinkedMeanwhileTakesTheNewOne() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Path lockFile = store.root().resolve(".lock");
    int tracked = WriterLock.tracked();
    List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<String> waiting;
    try (WriterLock first = WriterLock.acquire(store.root(), message -> {})) {
      waiting = waitingWriter(store, notes);
      Files.delete(lockFile); // as deleteIfEmpty does, while this thread holds it
    }

    assertThat(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("held");
    assertThat(notes)
        .containsExactly(
            "waiting for another writer of content store " + store.root() + " in this process");
    assertThat(WriterLock.tracked()).isEqualTo(tracked); // nothing kept once nobody holds it
  }

  /**
   * A writer on another thread that waits for the store's lock (telling {@code notes}), then says
   * whether another process finds the file at the path locked; returned once it waits. The lock is
   * taken and given back on one thread, as every writer does.
   */
  private static java.util.concurrent.CompletableFuture<String> waitingWriter(
      ContentStore store, List<String> notes) throws InterruptedException {
    java.util.concurrent.CompletableFuture<String> writer =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try (WriterLock lock = WriterLock.acquire(store.root(), notes::add)) {
                return tryLockInAnotherProcess(store.root().resolve(".lock"));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    for (int i = 0; i < 3000 && notes.isEmpty(); i++) {
      Thread.sleep(10); // at most 30 s
    }
    return writer;
  }

  @Test
  void provenanceOfAStoreWhoseIndexIsDamagedIsAProblemNotACrash() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Files.writeString(store.root().resolve("index.json"), "{");

    assertThat(store.checkProvenance(Pem.generate(KeyType.ECDSA_P256).publicKey()))
        .hasSize(1)
        .allMatch(problem -> problem.startsWith(store.root().resolve("index.json").toString()));
  }

  /**
   * Adds each artifact on a thread of its own, all at once, artifact i into store {@code root(i)}.
   */
  private void addAtOnce(List<LockedArtifact> artifacts, java.util.function.IntFunction<Path> root)
      throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(artifacts.size());
    try {
      List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
      for (int i = 0; i < artifacts.size(); i++) {
        LockedArtifact artifact = artifacts.get(i);
        Path store = root.apply(i);
        writes.add(pool.submit(() -> ContentStore.openOrCreate(store).add(artifact, files)));
      }
      for (java.util.concurrent.Future<?> write : writes) {
        write.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
