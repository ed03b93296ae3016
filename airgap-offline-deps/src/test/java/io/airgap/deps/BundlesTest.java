package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.internal.StrictJson;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureException;
import io.airgap.core.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bundles: create on the connected side, inspect, verify and import on the isolated side. */
class BundlesTest extends BundleFixture {
  @Test
  void createdBundlesInspectVerifyAndImport() throws Exception {
    assertThat(Bundles.inspect(bundle)).containsExactlyElementsOf(lock.artifacts());
    assertThat(Bundles.verify(bundle, KEY.publicKey(), VerifyOptions.defaults()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    // The file both artifacts share (the same bytes) is one blob: 2 manifests, the empty config
    // and 2 file blobs.
    assertThat(members(bundle))
        .hasSize(3 + 5)
        .startsWith("oci-layout", "index.json", Bundles.SIGNATURE);

    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    assertThat(
            Bundles.importInto(bundle, KEY.publicKey(), store, VerifyOptions.defaults())
                .artifacts())
        .hasSize(2);

    assertThat(Resolver.resolve(lock, store)).containsExactlyElementsOf(lock.artifacts());
    assertThat(store.check()).isEmpty();
    try (var entries = Files.list(store.root())) {
      assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".staging")))
          .isEmpty();
    }
    // Importing again keeps one copy of each blob, and repairs one damaged since.
    String hex = lock.artifact("fraud").orElseThrow().files().get(0).sha256();
    Files.writeString(store.blob(hex), "ONNX BYTES");
    assertThat(store.check()).hasSize(1);
    Bundles.importInto(bundle, KEY.publicKey(), store, VerifyOptions.defaults());
    assertThat(store.check()).isEmpty();
    assertThat(store.unreferenced()).isEmpty();
  }

  @Test
  void anotherSignerIsRefusedAndNothingIsImported() {
    SigningKey stranger = Pem.generate(KeyType.ECDSA_P256);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThatThrownBy(
            () -> Bundles.importInto(bundle, stranger.publicKey(), store, VerifyOptions.defaults()))
        .isInstanceOf(SignatureException.class)
        .hasMessageContaining("the bundle is not signed by the given key");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void aCorruptedBlobOrATruncatedTransferIsRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    int at = indexOf(bytes, "onnx bytes".getBytes(StandardCharsets.UTF_8));
    byte[] corrupted = bytes.clone();
    corrupted[at] ^= 1;
    Files.write(temp.resolve("corrupt.tar"), corrupted);
    Files.write(temp.resolve("cut.tar"), Arrays.copyOf(bytes, at + 3));
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThatThrownBy(
            () ->
                Bundles.importInto(
                    temp.resolve("corrupt.tar"), KEY.publicKey(), store, VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("(model.onnx) holds 10 bytes hashing to");
    assertThatThrownBy(
            () ->
                Bundles.verify(temp.resolve("cut.tar"), KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("the tar is damaged or truncated");
    assertThat(store.list()).isEmpty();
    assertThat(store.check()).isEmpty();
  }

  @Test
  void verifyingOrImportingNeedsAKey() {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThatThrownBy(() -> Bundles.verify(bundle, null, VerifyOptions.defaults()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key: a bundle is verified with its signer's public key");
    assertThatThrownBy(() -> Bundles.importInto(bundle, null, store, VerifyOptions.defaults()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key: a bundle is imported only with its signer's public key");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void aFileHoldingAnotherArtifactsManifestTravelsOnce() throws Exception {
    // A copy of a store, say: one of its files is byte for byte the manifest of "fraud".
    byte[] manifest = OciArtifacts.manifest(lock.artifact("fraud").orElseThrow());
    Files.write(Files.createDirectories(temp.resolve("mirror/copy")).resolve("m.json"), manifest);
    DependencySpec spec =
        DependencySpec.parse(
            ("{\"schemaVersion\": 1, \"artifacts\": ["
                    + "{\"name\": \"fraud\", \"kind\": \"model\", \"source\": {\"type\": \"directory\", \"path\": \"models/fraud\"}},"
                    + "{\"name\": \"copy\", \"kind\": \"file\", \"source\": {\"type\": \"directory\", \"path\": \"copy\"}}]}")
                .getBytes(StandardCharsets.UTF_8),
            "spec.json");
    Lockfile both =
        Locker.lock(
            spec, List.of(new DirectoryMirror(temp.resolve("mirror"))), temp.resolve("both"));
    Path out = temp.resolve("both.tar");
    Bundles.create(both, KEY, out, BundleOptions.builder().files(temp.resolve("both")).build());
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThat(
            Bundles.importInto(out, KEY.publicKey(), store, VerifyOptions.defaults()).artifacts())
        .containsExactlyElementsOf(both.artifacts());
    assertThat(members(out).stream().filter(m -> m.endsWith(DepsFiles.sha256(manifest))))
        .hasSize(1);
    assertThat(Resolver.resolve(both, store)).containsExactlyElementsOf(both.artifacts());
    assertThat(store.check()).isEmpty();
  }

  @Test
  void aLockOfNothingIsNotBundled() {
    assertThatThrownBy(
            () ->
                Bundles.create(
                    new Lockfile(List.of()),
                    KEY,
                    temp.resolve("e.tar"),
                    BundleOptions.builder().files(temp.resolve("scratch")).build()))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage("the lock lists no artifacts; there is nothing to bundle");
    assertThat(temp.resolve("e.tar")).doesNotExist();
  }

  @Test
  void theStoreKeepsTheManifestBytesTheSignatureNamed() throws Exception {
    // A manifest written otherwise than this version writes it (pretty-printed here, as another
    // version might), signed: the store must keep those bytes, not write its own.
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    String oldHex = DepsFiles.sha256(OciArtifacts.manifest(lock.artifact("fraud").orElseThrow()));
    byte[] pretty =
        StrictJson.writePretty(
            StrictJson.readObject(members.get("blobs/sha256/" + oldHex), "manifest"));
    String newHex = DepsFiles.sha256(pretty);
    java.util.Map<String, String> signed = new java.util.TreeMap<>();
    java.util.Map<String, OciArtifacts.Descriptor> index = new java.util.TreeMap<>();
    for (LockedArtifact artifact : lock.artifacts()) {
      byte[] manifest = artifact.name().equals("fraud") ? pretty : OciArtifacts.manifest(artifact);
      signed.put(artifact.name(), DepsFiles.sha256(manifest));
      index.put(
          artifact.name(),
          new OciArtifacts.Descriptor("sha256:" + DepsFiles.sha256(manifest), manifest.length));
    }
    java.util.LinkedHashMap<String, byte[]> changed = new java.util.LinkedHashMap<>();
    members.forEach(
        (name, bytes) -> {
          if (name.equals("index.json")) {
            changed.put(name, OciArtifacts.index(index));
          } else if (name.equals(Bundles.SIGNATURE)) {
            changed.put(name, BundleStatement.sign(signed, java.time.Instant.now(), KEY));
          } else if (name.equals("blobs/sha256/" + oldHex)) {
            changed.put("blobs/sha256/" + newHex, pretty);
          } else {
            changed.put(name, bytes);
          }
        });
    Path resigned = writeTar(temp.resolve("resigned.tar"), changed);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThat(
            Bundles.importInto(resigned, KEY.publicKey(), store, VerifyOptions.defaults())
                .artifacts())
        .containsExactlyInAnyOrderElementsOf(lock.artifacts());
    assertThat(Files.readAllBytes(store.blob(newHex))).isEqualTo(pretty);
    assertThat(store.blob(oldHex)).doesNotExist();
    assertThat(store.check()).isEmpty();
    assertThat(Resolver.resolve(lock, store)).containsExactlyElementsOf(lock.artifacts());
  }

  @Test
  void theStoreKeepsTheSignedEnvelopeAsEvidenceOfWhereEachArtifactCameFrom() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(bundle, KEY.publicKey(), store, VerifyOptions.defaults());
    byte[] envelope = readMembers(bundle).get(Bundles.SIGNATURE);
    Path kept = store.blob(DepsFiles.sha256(envelope));
    SigningKey stranger = Pem.generate(KeyType.ECDSA_P256);

    assertThat(Files.readAllBytes(kept)).isEqualTo(envelope);
    assertThat(Files.readString(store.root().resolve("index.json")))
        .contains("\"io.airgap.bundle.signature\": \"sha256:" + DepsFiles.sha256(envelope) + "\"");
    assertThat(store.checkProvenance(KEY.publicKey())).isEmpty();
    assertThat(store.unreferenced()).isEmpty();
    assertThat(store.checkProvenance(stranger.publicKey()))
        .containsExactly(
            "signed envelope of fraud ("
                + kept
                + "): the bundle is not signed by the given key "
                + Pem.hint(stranger.publicKey())
                + " (ecdsa-p256)",
            "signed envelope of tok ("
                + kept
                + "): the bundle is not signed by the given key "
                + Pem.hint(stranger.publicKey())
                + " (ecdsa-p256)");

    // An artifact put in without a bundle, and a damaged envelope, are both reported.
    Path files = temp.resolve("scratch/tok");
    store.add(lock.artifact("tok").orElseThrow(), files);
    Files.writeString(kept, "{}");
    assertThat(store.checkProvenance(KEY.publicKey()))
        .containsExactly(
            "signed envelope of fraud (" + kept + "): not its digest",
            "tok: added without a bundle; no signature vouches for it");
    assertThat(store.check())
        .containsExactly(
            "signed envelope of fraud: blob "
                + DepsFiles.sha256(envelope)
                + " holds 2 bytes hashing to "
                + OciArtifacts.EMPTY_HEX);
  }

  @Test
  void twoCreatesOfOneBundleWriteTheirOwnTemporaryFiles() throws Exception {
    Path out = temp.resolve("same.tar");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first =
          pool.submit(
              () ->
                  Bundles.create(
                      lock,
                      KEY,
                      out,
                      BundleOptions.builder().files(temp.resolve("scratch")).build()));
      var second =
          pool.submit(
              () ->
                  Bundles.create(
                      lock,
                      KEY,
                      out,
                      BundleOptions.builder().files(temp.resolve("scratch")).build()));
      first.get();
      second.get();
    } finally {
      pool.shutdownNow();
    }

    assertThat(Bundles.verify(out, KEY.publicKey(), VerifyOptions.defaults()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    assertThat(partials()).isEmpty();
  }

  @Test
  void aFileThatNoLongerMatchesTheLockIsRefusedAtCreate() throws Exception {
    Path model = temp.resolve("scratch/fraud/model.onnx");
    Files.writeString(model, "ONNX BYTES"); // same size, other bytes
    String locked = lock.artifact("fraud").orElseThrow().files().get(0).sha256();

    assertThatThrownBy(
            () ->
                Bundles.create(
                    lock,
                    KEY,
                    temp.resolve("again.tar"),
                    BundleOptions.builder().files(temp.resolve("scratch")).build()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            model
                + " is 10 bytes with SHA-256 "
                + DepsFiles.sha256("ONNX BYTES".getBytes(StandardCharsets.UTF_8))
                + "; the lock says 10 bytes with "
                + locked);
    assertThat(Files.exists(temp.resolve("again.tar"))).isFalse();
    assertThat(partials()).isEmpty();
  }

  @Test
  void aFileLargerOrShorterThanLockedIsRefusedAtCreateAndNothingIsLeft() throws Exception {
    Path model = temp.resolve("scratch/fraud/model.onnx");
    Files.writeString(model, "onnx bytes and more");

    assertThatThrownBy(
            () ->
                Bundles.create(
                    lock,
                    KEY,
                    temp.resolve("again.tar"),
                    BundleOptions.builder().files(temp.resolve("scratch")).build()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(model + " is larger than the 10 bytes locked for model.onnx");
    assertThat(partials()).isEmpty();

    Files.writeString(model, "onnx");
    assertThatThrownBy(
            () ->
                Bundles.create(
                    lock,
                    KEY,
                    temp.resolve("again.tar"),
                    BundleOptions.builder().files(temp.resolve("scratch")).build()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith(
            model
                + " is 4 bytes with SHA-256 "
                + DepsFiles.sha256("onnx".getBytes(StandardCharsets.UTF_8))
                + "; the lock says 10 bytes with ");
    assertThat(Files.exists(temp.resolve("again.tar"))).isFalse();
    assertThat(partials()).isEmpty();
  }

  @Test
  void twoBlobsFailingTogetherFailTheBundleAndLeaveNothing() throws Exception {
    Files.writeString(temp.resolve("scratch/fraud/model.onnx"), "ONNX BYTES");
    Files.writeString(temp.resolve("scratch/fraud/sub/vocab.txt"), "c\nd\n");

    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                Bundles.create(
                    lock,
                    KEY,
                    temp.resolve("again.tar"),
                    BundleOptions.builder().files(temp.resolve("scratch")).build()));

    assertThat(thrown).isInstanceOf(IntegrityException.class);
    List<String> messages = new java.util.ArrayList<>();
    messages.add(thrown.getMessage());
    for (Throwable other : thrown.getSuppressed()) {
      messages.add(other.getMessage());
    }
    assertThat(messages).allMatch(m -> m.contains(" bytes with SHA-256 "));
    assertThat(messages).anyMatch(m -> m.contains("model.onnx") || m.contains("vocab.txt"));
    assertThat(Files.exists(temp.resolve("again.tar"))).isFalse();
    assertThat(partials()).isEmpty();
  }

  @Test
  void creatingFromRepositoriesFetchesAgainAndLeavesNoScratch() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out")).resolve("fetched.tar");

    Bundles.create(
        lock,
        KEY,
        out,
        BundleOptions.builder()
            .repositories(List.of(new DirectoryMirror(temp.resolve("mirror"))))
            .build());

    assertThat(Bundles.verify(out, KEY.publicKey(), VerifyOptions.defaults()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    try (var entries = Files.list(temp.resolve("out"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("fetched.tar");
    }
  }

  @Test
  void aRepositoryThatChangedSinceTheLockIsRefusedAtCreate() throws Exception {
    Files.writeString(temp.resolve("mirror/tok/t.json"), "c\nd\n");
    Path out = Files.createDirectories(temp.resolve("out")).resolve("fetched.tar");

    assertThatThrownBy(
            () ->
                Bundles.create(
                    lock,
                    KEY,
                    out,
                    BundleOptions.builder()
                        .repositories(List.of(new DirectoryMirror(temp.resolve("mirror"))))
                        .build()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "the repositories now return other files than the lock records for [tok];"
                + " lock again if the change is intended");
    try (var entries = Files.list(temp.resolve("out"))) {
      assertThat(entries).isEmpty();
    }
  }
}
