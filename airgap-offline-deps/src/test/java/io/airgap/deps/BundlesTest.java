package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureException;
import io.airgap.core.signing.SigningKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles: create on the connected side, inspect, verify and import on the isolated side. */
class BundlesTest {
  private static final SigningKey KEY = Pem.generate(KeyType.ECDSA_P256);

  @TempDir Path temp;
  private DependencySpec spec;
  private Lockfile lock;
  private Path bundle;

  @BeforeEach
  void bundle() throws Exception {
    Path mirror = Files.createDirectories(temp.resolve("mirror/models/fraud/sub"));
    Files.writeString(mirror.getParent().resolve("model.onnx"), "onnx bytes");
    Files.writeString(mirror.resolve("vocab.txt"), "a\nb\n");
    Files.writeString(
        Files.createDirectories(temp.resolve("mirror/tok")).resolve("t.json"), "a\nb\n");
    // A file whose bytes are "{}" is the same blob as the manifests' empty config.
    Files.writeString(temp.resolve("mirror/tok/empty.json"), "{}");
    spec =
        DependencySpec.parse(
            ("{\"schemaVersion\": 1, \"artifacts\": ["
                    + "{\"name\": \"fraud\", \"kind\": \"model\", \"source\": {\"type\": \"directory\", \"path\": \"models/fraud\"}},"
                    + "{\"name\": \"tok\", \"kind\": \"tokenizer\", \"source\": {\"type\": \"directory\", \"path\": \"tok\"}}]}")
                .getBytes(StandardCharsets.UTF_8),
            "spec.json");
    lock =
        Locker.lock(
            spec, List.of(new DirectoryMirror(temp.resolve("mirror"))), temp.resolve("scratch"));
    bundle = temp.resolve("bundle.tar");
    Bundles.create(lock, temp.resolve("scratch"), KEY, bundle);
  }

  @Test
  void createdBundlesInspectVerifyAndImport() throws Exception {
    assertThat(Bundles.inspect(bundle)).containsExactlyElementsOf(lock.artifacts());
    assertThat(Bundles.verify(bundle, KEY.publicKey()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    // The file both artifacts share (the same bytes) is one blob: 2 manifests, the empty config
    // and 2 file blobs.
    assertThat(members(bundle))
        .hasSize(3 + 5)
        .startsWith("oci-layout", "index.json", Bundles.SIGNATURE);

    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    assertThat(Bundles.importInto(bundle, KEY.publicKey(), store).artifacts()).hasSize(2);

    assertThat(Resolver.resolve(lock, store)).containsExactlyElementsOf(lock.artifacts());
    assertThat(store.verify()).isEmpty();
    try (var entries = Files.list(store.root())) {
      assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".staging")))
          .isEmpty();
    }
    // Importing again keeps one copy of each blob, and repairs one damaged since.
    String hex = lock.artifact("fraud").orElseThrow().files().get(0).sha256();
    Files.writeString(store.blob(hex), "ONNX BYTES");
    assertThat(store.verify()).hasSize(1);
    Bundles.importInto(bundle, KEY.publicKey(), store);
    assertThat(store.verify()).isEmpty();
    assertThat(store.unreferenced()).isEmpty();
  }

  @Test
  void anotherSignerIsRefusedAndNothingIsImported() {
    SigningKey stranger = Pem.generate(KeyType.ECDSA_P256);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThatThrownBy(() -> Bundles.importInto(bundle, stranger.publicKey(), store))
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
            () -> Bundles.importInto(temp.resolve("corrupt.tar"), KEY.publicKey(), store))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("(model.onnx) holds 10 bytes hashing to");
    assertThatThrownBy(() -> Bundles.verify(temp.resolve("cut.tar"), KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("the tar is damaged or truncated");
    assertThat(store.list()).isEmpty();
    assertThat(store.verify()).isEmpty();
  }

  @Test
  void hostileMembersAreRefused() throws Exception {
    assertThatThrownBy(
            () ->
                Bundles.verify(
                    rewrite("extra", true, "notes.txt", TarArchiveEntry.LF_NORMAL),
                    KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(": unexpected member notes.txt");
    assertThatThrownBy(
            () ->
                Bundles.verify(
                    rewrite("link", true, "blobs/sha256/evil", TarArchiveEntry.LF_SYMLINK),
                    KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(
            ": member blobs/sha256/evil is not a regular file (links and devices are refused)");
    assertThatThrownBy(
            () ->
                Bundles.verify(
                    rewrite("dots", true, "../../etc/cron.d/x", TarArchiveEntry.LF_NORMAL),
                    KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(": member name ../../etc/cron.d/x is absolute or escapes the bundle");
  }

  @Test
  void aMemberLargerThanItsManifestSaysIsRefusedBeforeItIsRead() throws Exception {
    String hex = lock.artifact("fraud").orElseThrow().files().get(0).sha256();
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    members.put(
        "blobs/sha256/" + hex, new byte[1 << 20]); // a megabyte where 10 bytes were promised
    Path bomb = writeTar(temp.resolve("bomb.tar"), members);

    assertThatThrownBy(() -> Bundles.verify(bomb, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(
            ": member blobs/sha256/" + hex + " claims 1048576 bytes, its manifest says 10");
  }

  @Test
  void bytesAfterTheArchiveAreRefused() throws Exception {
    // tar readers stop at the end-of-archive blocks; a second archive behind them would travel
    // with a verified bundle, unsigned.
    byte[] whole = Files.readAllBytes(bundle);
    Path appended = temp.resolve("appended.tar");
    Files.write(appended, whole);
    Path second = rewrite("second", false, "payload.sh", TarArchiveEntry.LF_NORMAL);
    Files.write(appended, Files.readAllBytes(second), java.nio.file.StandardOpenOption.APPEND);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThatThrownBy(() -> Bundles.importInto(appended, KEY.publicKey(), store))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            appended
                + ": byte "
                + whole.length
                + " lies after the end of the archive (data outside every member is refused)");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void bytesHiddenInMemberPaddingAreRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    // oci-layout is the first member: 30 bytes of data after its header, then zero padding.
    assertThat(new String(bytes, 0, 10, StandardCharsets.US_ASCII)).isEqualTo("oci-layout");
    bytes[512 + 40] = 'x';
    Path padded = Files.write(temp.resolve("padded.tar"), bytes);

    assertThatThrownBy(() -> Bundles.verify(padded, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            padded
                + ": byte 552 in member padding is not zero (data outside every member is"
                + " refused)");
  }

  @Test
  void extendedAndSparseHeadersAreRefusedBeforeTheirContentIsRead() throws Exception {
    Path sparse = withType("sparse.tar", (byte) 'S');
    assertThatThrownBy(() -> Bundles.verify(sparse, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            sparse
                + ": the tar header at byte 0 (oci-layout) has tar type 'S' (long names, PAX"
                + " records and sparse members are refused)");
    Path longName = withType("long.tar", (byte) 'L');
    assertThatThrownBy(() -> Bundles.inspect(longName))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(
            ": the tar header at byte 0 (oci-layout) has tar type 'L' (long names, PAX records"
                + " and sparse members are refused)");
    Path directory = withType("directory.tar", (byte) '5');
    assertThatThrownBy(() -> Bundles.verify(directory, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            directory
                + ": the tar header at byte 0 (oci-layout) is a directory with a size of 30 bytes");
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[3] = 'X'; // the name changes, the checksum does not
    Path damaged = Files.write(temp.resolve("damaged.tar"), bytes);
    assertThatThrownBy(() -> Bundles.verify(damaged, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            damaged + ": the tar header at byte 0 (ociXlayout) has a wrong header checksum");
  }

  @Test
  void verifyingOrImportingNeedsAKey() {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThatThrownBy(() -> Bundles.verify(bundle, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key: a bundle is verified with its signer's public key");
    assertThatThrownBy(() -> Bundles.importInto(bundle, null, store))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key: a bundle is imported only with its signer's public key");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void unsignedContentBesideTheSignedStatementIsRefused() throws Exception {
    Path layout =
        replaceMember("layout", "oci-layout", json -> ((ObjectNode) json).put("note", "unsigned"));
    Path index =
        replaceMember("index", "index.json", json -> ((ObjectNode) json).put("note", "unsigned"));
    Path reordered =
        replaceMember(
            "reordered",
            "index.json",
            json -> {
              ArrayNode manifests = (ArrayNode) json.get("manifests");
              manifests.add(manifests.remove(0));
            });
    Path envelopeField =
        replaceMember(
            "envelope", Bundles.SIGNATURE, json -> ((ObjectNode) json).put("note", "unsigned"));
    Path secondSignature =
        replaceMember(
            "second-signature",
            Bundles.SIGNATURE,
            json -> {
              ArrayNode signatures = (ArrayNode) json.get("signatures");
              signatures.add(signatures.get(0).deepCopy());
            });
    Path signatureField =
        replaceMember(
            "signature-field",
            Bundles.SIGNATURE,
            json -> ((ObjectNode) json.get("signatures").get(0)).put("cert", "unsigned"));

    assertThatThrownBy(() -> Bundles.verify(layout, KEY.publicKey()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            layout
                + " oci-layout: is not exactly {\"imageLayoutVersion\":\"1.0.0\"} (OCI image"
                + " layout 1.0.0)");
    for (Path changed : List.of(index, reordered)) {
      assertThatThrownBy(() -> Bundles.verify(changed, KEY.publicKey()))
          .isInstanceOf(IntegrityException.class)
          .hasMessage(
              changed
                  + " index.json: holds fields, values, an order or whitespace other than the index"
                  + " of its manifests (unsigned content is refused)");
    }
    assertThatThrownBy(() -> Bundles.verify(envelopeField, KEY.publicKey()))
        .isInstanceOf(FormatException.class)
        .hasMessage(envelopeField + " " + Bundles.SIGNATURE + ": unknown field 'note'");
    assertThatThrownBy(() -> Bundles.verify(secondSignature, KEY.publicKey()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            secondSignature
                + " "
                + Bundles.SIGNATURE
                + ": the envelope carries 2 signatures; an airgap bundle carries exactly one");
    assertThatThrownBy(() -> Bundles.verify(signatureField, KEY.publicKey()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            signatureField + " " + Bundles.SIGNATURE + " signatures[0]: unknown field 'cert'");
  }

  @Test
  void unsignedBytesInHeadersWhitespaceOrTheKeyHintAreRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[136] = '1'; // the first header's mtime, checksum made right again
    fixChecksum(bytes);
    Path timed = Files.write(temp.resolve("timed.tar"), bytes);
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    members.put(
        "index.json",
        new String(members.get("index.json"), StandardCharsets.UTF_8)
            .replace("\n", "\n ")
            .getBytes(StandardCharsets.UTF_8));
    Path spaced = writeTar(temp.resolve("spaced.tar"), members);
    Path hinted =
        replaceMember(
            "hinted",
            Bundles.SIGNATURE,
            json -> ((ObjectNode) json.get("signatures").get(0)).put("keyid", "covert channel"));
    members = readMembers(bundle);
    members.put(
        Bundles.SIGNATURE,
        new String(members.get(Bundles.SIGNATURE), StandardCharsets.UTF_8)
            .replace("\": \"", "\":  \"")
            .getBytes(StandardCharsets.UTF_8));
    Path reencoded = writeTar(temp.resolve("reencoded.tar"), members);

    assertThatThrownBy(() -> Bundles.verify(timed, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            timed
                + ": the tar header at byte 0 (oci-layout) differs from the header airgap writes"
                + " in its mtime (byte 136; headers carry nothing but name and size)");
    assertThatThrownBy(() -> Bundles.verify(spaced, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageEndingWith(
            " index.json: holds fields, values, an order or whitespace other than the index of"
                + " its manifests (unsigned content is refused)");
    assertThatThrownBy(() -> Bundles.verify(hinted, KEY.publicKey()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            hinted
                + " "
                + Bundles.SIGNATURE
                + ": keyid 'covert channel' is not the hint of the key that signed it ("
                + io.airgap.core.signing.Pem.hint(KEY.publicKey())
                + ")");
    assertThatThrownBy(() -> Bundles.verify(reencoded, KEY.publicKey()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            reencoded
                + " "
                + Bundles.SIGNATURE
                + ": the envelope differs from the form airgap writes (whitespace, field order or"
                + " encoding; unsigned bytes are refused)");
  }

  @Test
  void neitherTheOrderOfBlobsNorTheTrailerCanCarryAnything() throws Exception {
    byte[] whole = Files.readAllBytes(bundle);
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    List<String> names = new java.util.ArrayList<>(members.keySet());
    String last = names.get(names.size() - 1);
    String beforeLast = names.get(names.size() - 2);
    java.util.LinkedHashMap<String, byte[]> swapped = new java.util.LinkedHashMap<>();
    for (String name : names.subList(0, names.size() - 2)) {
      swapped.put(name, members.get(name));
    }
    swapped.put(last, members.get(last));
    swapped.put(beforeLast, members.get(beforeLast));
    Path reordered = writeTar(temp.resolve("reordered.tar"), swapped);
    int dataEnd = 0; // where the last member's padding ends and the end-of-archive blocks begin
    for (byte[] content : members.values()) {
      dataEnd += 512 + (content.length + 511) / 512 * 512;
    }
    Path stripped = Files.write(temp.resolve("stripped.tar"), Arrays.copyOf(whole, dataEnd));
    Path cut = Files.write(temp.resolve("cut.tar"), Arrays.copyOf(whole, dataEnd + 1024));
    Path longer = Files.write(temp.resolve("longer.tar"), Arrays.copyOf(whole, whole.length + 7));

    assertThatThrownBy(() -> Bundles.verify(reordered, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            reordered
                + ": member "
                + last
                + " is out of the order bundles are written in (expected "
                + beforeLast
                + ")");
    assertThatThrownBy(() -> Bundles.verify(stripped, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            stripped
                + ": the tar ends at byte "
                + dataEnd
                + " without its end-of-archive blocks (a truncated transfer?)");
    assertThatThrownBy(() -> Bundles.verify(cut, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            cut
                + ": the tar ends at byte "
                + (dataEnd + 1024)
                + ", inside its end-of-archive blocks (a truncated transfer?)");
    assertThatThrownBy(() -> Bundles.verify(longer, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            longer
                + ": byte "
                + whole.length
                + " lies after the end of the archive (data outside every member is refused)");
  }

  /** The bundle with one JSON member changed by {@code change}, written back pretty-printed. */
  private Path replaceMember(
      String name, String member, java.util.function.Consumer<JsonNode> change) throws Exception {
    java.util.LinkedHashMap<String, byte[]> members = readMembers(bundle);
    JsonNode json = StrictJson.readObject(members.get(member), member);
    change.accept(json);
    members.put(member, StrictJson.writePretty(json));
    return writeTar(temp.resolve(name + ".tar"), members);
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
    Bundles.create(both, temp.resolve("both"), KEY, out);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThat(Bundles.importInto(out, KEY.publicKey(), store).artifacts())
        .containsExactlyElementsOf(both.artifacts());
    assertThat(members(out).stream().filter(m -> m.endsWith(DepsFiles.sha256(manifest))))
        .hasSize(1);
    assertThat(Resolver.resolve(both, store)).containsExactlyElementsOf(both.artifacts());
    assertThat(store.verify()).isEmpty();
  }

  @Test
  void aLockOfNothingIsNotBundled() {
    assertThatThrownBy(
            () ->
                Bundles.create(
                    new Lockfile(List.of()), temp.resolve("scratch"), KEY, temp.resolve("e.tar")))
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

    assertThat(Bundles.importInto(resigned, KEY.publicKey(), store).artifacts())
        .containsExactlyInAnyOrderElementsOf(lock.artifacts());
    assertThat(Files.readAllBytes(store.blob(newHex))).isEqualTo(pretty);
    assertThat(store.blob(oldHex)).doesNotExist();
    assertThat(store.verify()).isEmpty();
    assertThat(Resolver.resolve(lock, store)).containsExactlyElementsOf(lock.artifacts());
  }

  @Test
  void anOlderBundleReplayedAfterANewerOneIsRefused() throws Exception {
    java.time.Instant monday = java.time.Instant.parse("2026-11-23T09:00:00Z");
    java.time.Instant friday = java.time.Instant.parse("2026-11-27T17:30:00.750Z");
    Path older = temp.resolve("monday.tar");
    Bundles.create(lock, temp.resolve("scratch"), KEY, older, Progress.NONE, monday);
    // By Friday the model changed; the tokenizer did not.
    Lockfile changed = lockWithChangedModel();
    Path newer = temp.resolve("friday.tar");
    Bundles.create(changed, temp.resolve("v2"), KEY, newer, Progress.NONE, friday);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThat(Bundles.verify(older, KEY.publicKey()).created()).isEqualTo(monday);
    assertThat(Bundles.importInto(newer, KEY.publicKey(), store).created())
        .isEqualTo(java.time.Instant.parse("2026-11-27T17:30:00Z"));
    byte[] index = Files.readAllBytes(store.root().resolve("index.json"));
    assertThatThrownBy(() -> Bundles.importInto(older, KEY.publicKey(), store))
        .isInstanceOf(io.airgap.core.trust.RollbackException.class)
        .hasMessage(
            "the bundle was created 2026-11-23T09:00:00Z, no later than the bundles that brought"
                + " other content of the store's fraud (from a bundle created"
                + " 2026-11-27T17:30:00Z); nothing was imported (an older bundle replayed? to go"
                + " back on purpose, bundle the older artifacts again)");
    assertThat(Files.readAllBytes(store.root().resolve("index.json"))).isEqualTo(index);
    assertThat(store.artifact("fraud")).contains(changed.artifact("fraud").orElseThrow());
  }

  @Test
  void olderMediaAreRefusedBeforeTheirBlobsAreRead() throws Exception {
    Path older = temp.resolve("monday.tar");
    Bundles.create(
        lock,
        temp.resolve("scratch"),
        KEY,
        older,
        Progress.NONE,
        java.time.Instant.parse("2026-11-23T09:00:00Z"));
    Lockfile changed = lockWithChangedModel();
    Path newer = temp.resolve("friday.tar");
    Bundles.create(
        changed,
        temp.resolve("v2"),
        KEY,
        newer,
        Progress.NONE,
        java.time.Instant.parse("2026-11-27T17:30:00Z"));
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(newer, KEY.publicKey(), store);
    // A blob of the older bundle is damaged too: had its blobs been read, that would be the error.
    byte[] bytes = Files.readAllBytes(older);
    bytes[indexOf(bytes, "onnx bytes".getBytes(StandardCharsets.UTF_8))] ^= 1;
    Files.write(older, bytes);
    Path split = Files.createDirectories(temp.resolve("split"));
    Path first = BundleParts.split(Files.copy(older, split.resolve("monday.tar")), 4096);

    for (Path replayed : List.of(older, first)) { // whole, and in parts (none read past the head)
      assertThatThrownBy(() -> Bundles.importInto(replayed, KEY.publicKey(), store))
          .isInstanceOf(io.airgap.core.trust.RollbackException.class)
          .hasMessageStartingWith(
              "the bundle was created 2026-11-23T09:00:00Z, no later than the bundles that"
                  + " brought other content of the store's fraud");
    }
  }

  @Test
  void aBundleOlderThanTheAgeAllowedIsRefusedEvenByANewStore() throws Exception {
    Path monday = temp.resolve("monday.tar");
    Bundles.create(
        lock,
        temp.resolve("scratch"),
        KEY,
        monday,
        Progress.NONE,
        java.time.Instant.parse("2026-11-23T09:00:00Z"));
    java.time.Clock friday =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-27T17:30:00.250Z"), java.time.ZoneOffset.UTC);
    BundleAge week = new BundleAge(java.time.Duration.ofDays(7), friday);
    BundleAge day = new BundleAge(java.time.Duration.ofDays(1), friday);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThat(Bundles.verify(monday, KEY.publicKey(), Progress.NONE, week).created())
        .isEqualTo(java.time.Instant.parse("2026-11-23T09:00:00Z"));
    assertThatThrownBy(() -> Bundles.importInto(monday, KEY.publicKey(), store, Progress.NONE, day))
        .isInstanceOf(io.airgap.core.trust.RollbackException.class)
        .hasMessage(
            monday
                + ": the bundle was created 2026-11-23T09:00:00Z, more than the allowed PT24H"
                + " before now (2026-11-27T17:30:00Z); it is refused as stale");
    assertThat(store.list()).isEmpty();
    assertThatThrownBy(() -> new BundleAge(java.time.Duration.ZERO, friday))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the maximum age must be positive, not PT0S");
  }

  @Test
  void olderMediaWithTheSameContentAreTakenAndTheNewestRecordKept() throws Exception {
    java.time.Instant monday = java.time.Instant.parse("2026-11-23T09:00:00Z");
    java.time.Instant friday = java.time.Instant.parse("2026-11-27T17:30:00Z");
    Path tokOnly = temp.resolve("tok-monday.tar");
    Bundles.create(
        new Lockfile(List.of(lock.artifact("tok").orElseThrow())),
        temp.resolve("scratch"),
        KEY,
        tokOnly,
        Progress.NONE,
        monday);
    Path newer = temp.resolve("friday.tar");
    Bundles.create(lock, temp.resolve("scratch"), KEY, newer, Progress.NONE, friday);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(newer, KEY.publicKey(), store);

    // The tokenizer's bytes are what Friday's bundle brought: Monday's media repair, not revert.
    assertThat(Bundles.importInto(tokOnly, KEY.publicKey(), store).artifacts()).hasSize(1);
    assertThat(Files.readString(store.root().resolve("index.json")))
        .doesNotContain("2026-11-23T09:00:00Z")
        .contains("\"io.airgap.bundle.created\": \"2026-11-27T17:30:00Z\"");
    assertThat(store.verifyProvenance(KEY.publicKey())).isEmpty();
    assertThat(store.unreferenced()).isEmpty();
    // The same bundle again, and a later one, are taken.
    Bundles.importInto(newer, KEY.publicKey(), store);
    Path later = temp.resolve("later.tar");
    Bundles.create(
        lock, temp.resolve("scratch"), KEY, later, Progress.NONE, friday.plusSeconds(60));
    Bundles.importInto(later, KEY.publicKey(), store);
    assertThat(Files.readString(store.root().resolve("index.json")))
        .contains("\"io.airgap.bundle.created\": \"2026-11-27T17:31:00Z\"");
  }

  @Test
  void otherContentFromABundleOfTheSameSecondIsRefused() throws Exception {
    java.time.Instant second = java.time.Instant.parse("2026-11-27T17:30:00Z");
    Path first = temp.resolve("first.tar");
    Bundles.create(lock, temp.resolve("scratch"), KEY, first, Progress.NONE, second);
    Lockfile changed = lockWithChangedModel();
    Path same = temp.resolve("same-second.tar");
    Bundles.create(changed, temp.resolve("v2"), KEY, same, Progress.NONE, second.plusMillis(400));
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(first, KEY.publicKey(), store);

    // Which of the two is newer cannot be told from whole seconds: neither replaces the other.
    assertThatThrownBy(() -> Bundles.importInto(same, KEY.publicKey(), store))
        .isInstanceOf(io.airgap.core.trust.RollbackException.class)
        .hasMessageStartingWith(
            "the bundle was created 2026-11-27T17:30:00Z, no later than the bundles that brought"
                + " other content of the store's fraud (from a bundle created 2026-11-27T17:30:00Z)");
  }

  @Test
  void theStoreKeepsTheSignedEnvelopeAsEvidenceOfWhereEachArtifactCameFrom() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(bundle, KEY.publicKey(), store);
    byte[] envelope = readMembers(bundle).get(Bundles.SIGNATURE);
    Path kept = store.blob(DepsFiles.sha256(envelope));
    SigningKey stranger = Pem.generate(KeyType.ECDSA_P256);

    assertThat(Files.readAllBytes(kept)).isEqualTo(envelope);
    assertThat(Files.readString(store.root().resolve("index.json")))
        .contains("\"io.airgap.bundle.signature\": \"sha256:" + DepsFiles.sha256(envelope) + "\"");
    assertThat(store.verifyProvenance(KEY.publicKey())).isEmpty();
    assertThat(store.unreferenced()).isEmpty();
    assertThat(store.verifyProvenance(stranger.publicKey()))
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
    assertThat(store.verifyProvenance(KEY.publicKey()))
        .containsExactly(
            "signed envelope of fraud (" + kept + "): not its digest",
            "tok: added without a bundle; no signature vouches for it");
    assertThat(store.verify())
        .containsExactly(
            "signed envelope of fraud: blob "
                + DepsFiles.sha256(envelope)
                + " holds 2 bytes hashing to "
                + OciArtifacts.EMPTY_HEX);
  }

  @Test
  void aBundleIndexCarryingACreationTimeIsRefused() throws Exception {
    // The creation time is signed in the statement; one in the unsigned index would be a forgery.
    Path stamped =
        replaceMember(
            "stamped",
            "index.json",
            json ->
                ((ObjectNode) json.get("manifests").get(0).get("annotations"))
                    .put("io.airgap.bundle.created", "2099-01-01T00:00:00Z")
                    .put("io.airgap.bundle.signature", "sha256:" + "0".repeat(64)));

    assertThatThrownBy(() -> Bundles.verify(stamped, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            stamped
                + " index.json: carries io.airgap.bundle.created and io.airgap.bundle.signature,"
                + " which only a store's index records (the bundle's time is signed)");
  }

  @Test
  void aStatementWithoutACreationTimeIsRefused() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode statement =
        StrictJson.mapper().createObjectNode();
    statement.put("_type", BundleStatement.STATEMENT_TYPE);
    statement.putArray("subject");
    statement.put("predicateType", BundleStatement.PREDICATE_TYPE);
    statement.putObject("predicate").put("artifacts", 0);
    byte[] payload = OciArtifacts.compact(statement);
    byte[] signature =
        KEY.type()
            .sign(
                KEY.privateKey(),
                io.airgap.core.internal.Dsse.pae(
                    io.airgap.core.internal.Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
    byte[] envelope =
        StrictJson.writePretty(
            new io.airgap.core.signing.DsseEnvelope(
                    io.airgap.core.internal.Dsse.IN_TOTO_PAYLOAD_TYPE,
                    payload,
                    List.of(
                        new io.airgap.core.signing.DsseEnvelope.Signature(
                            io.airgap.core.signing.Pem.hint(KEY.publicKey()), signature)))
                .toJson());

    assertThatThrownBy(() -> BundleStatement.verify(envelope, KEY.publicKey(), "b.tar sig"))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "b.tar sig: the statement records no creation time, so a store cannot refuse it as"
                + " older media; it was made by an earlier airgap version: create the bundle again");
  }

  @Test
  void aCreateStoppedByASignalLeavesNoTemporaryFile() throws Exception {
    Path work = Files.createDirectories(temp.resolve("work"));
    Process child = ChildJvm.start(CreateMain.class, work.toString());
    java.io.BufferedReader out = ChildJvm.output(child);
    String line;
    while ((line = out.readLine()) != null && !line.equals("writing")) {
      // the child's log lines
    }
    assertThat(line).isEqualTo("writing");
    try (var entries = Files.list(work)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.endsWith(".partial"));
    }

    child.destroy(); // SIGTERM, as Ctrl-C or a service manager sends: shutdown hooks run
    assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).isEqualTo(143);
    try (var entries = Files.list(work)) {
      assertThat(entries.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("files", "mirror");
    }
  }

  /** The spec locked again after the model changed, its files in {@code v2/}. */
  private Lockfile lockWithChangedModel() throws Exception {
    Files.writeString(temp.resolve("mirror/models/fraud/model.onnx"), "onnx bytes v2");
    return Locker.lock(
        spec, List.of(new DirectoryMirror(temp.resolve("mirror"))), temp.resolve("v2"));
  }

  /** Temporary bundle files left in the test directory. */
  private List<String> partials() throws Exception {
    try (var entries = Files.list(temp)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".partial"))
          .toList();
    }
  }

  @Test
  void twoCreatesOfOneBundleWriteTheirOwnTemporaryFiles() throws Exception {
    Path out = temp.resolve("same.tar");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(() -> Bundles.create(lock, temp.resolve("scratch"), KEY, out));
      var second = pool.submit(() -> Bundles.create(lock, temp.resolve("scratch"), KEY, out));
      first.get();
      second.get();
    } finally {
      pool.shutdownNow();
    }

    assertThat(Bundles.verify(out, KEY.publicKey()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    assertThat(partials()).isEmpty();
  }

  /** The bundle with its first header's type changed and its checksum made right again. */
  private Path withType(String name, byte type) throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[156] = type;
    fixChecksum(bytes);
    return Files.write(temp.resolve(name), bytes);
  }

  /** Sets the checksum of the tar header at the start of {@code bytes} to match its bytes. */
  private static void fixChecksum(byte[] bytes) {
    java.util.Arrays.fill(bytes, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += bytes[i] & 0xff;
    }
    byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(field, 0, bytes, 148, 8);
  }

  /** The bundle's members (all of them, or none) with one more member of the given type. */
  private Path rewrite(String name, boolean keepAll, String member, byte type) throws Exception {
    java.util.LinkedHashMap<String, byte[]> members =
        keepAll ? readMembers(bundle) : new java.util.LinkedHashMap<>();
    members.put(member, type == TarArchiveEntry.LF_SYMLINK ? new byte[0] : new byte[] {'x'});
    return writeTar(temp.resolve(name + ".tar"), members, member, type);
  }

  /** A tar's members, by name, in order. */
  private static java.util.LinkedHashMap<String, byte[]> readMembers(Path tar) throws Exception {
    java.util.LinkedHashMap<String, byte[]> members = new java.util.LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        members.put(entry.getName(), in.readAllBytes());
      }
    }
    return members;
  }

  /** Writes members as bundle create does: its headers, zero padding, the end-of-archive blocks. */
  private static Path writeTar(Path out, java.util.Map<String, byte[]> members) throws Exception {
    return writeTar(out, members, null, TarArchiveEntry.LF_NORMAL);
  }

  /**
   * As {@link #writeTar(Path, java.util.Map)}, with member {@code special} of type {@code type}.
   */
  private static Path writeTar(
      Path out, java.util.Map<String, byte[]> members, String special, byte type) throws Exception {
    java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
    for (var member : members.entrySet()) {
      byte[] header = BundleTarWriter.header(member.getKey(), member.getValue().length).array();
      if (member.getKey().equals(special)) {
        header[156] = type;
        fixChecksum(header);
      }
      tar.write(header);
      tar.write(member.getValue());
      tar.write(new byte[(512 - member.getValue().length % 512) % 512]);
    }
    tar.write(new byte[1024]);
    tar.write(
        new byte
            [(BundleTarWriter.BLOCK - tar.size() % BundleTarWriter.BLOCK) % BundleTarWriter.BLOCK]);
    return Files.write(out, tar.toByteArray());
  }

  private static List<String> members(Path tar) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    try (InputStream file = Files.newInputStream(tar);
        TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("not found");
  }

  @Test
  void splitPartsReassembleAndEveryPartIsChecked() throws Exception {
    long size = Files.size(bundle);
    // Where the DSSE signature's bytes lie, for the damaged-signature case below.
    int signatureAt =
        indexOf(Files.readAllBytes(bundle), "\"sig\"".getBytes(StandardCharsets.UTF_8));
    Path first = BundleParts.split(bundle, 1024);
    int parts = (int) ((size + 1023) / 1024);

    assertThat(first.getFileName().toString()).isEqualTo("bundle.tar.part000");
    assertThat(Files.exists(bundle)).isFalse();
    assertThat(Bundles.verify(first, KEY.publicKey()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(first, KEY.publicKey(), store);
    assertThat(Resolver.resolve(lock, store)).hasSize(2);

    Path second = temp.resolve("bundle.tar.part002");
    Path third = temp.resolve("bundle.tar.part003");
    byte[] two = Files.readAllBytes(second);
    byte[] three = Files.readAllBytes(third);
    Files.write(second, three);
    Files.write(third, two);
    assertThatThrownBy(() -> Bundles.verify(first, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith("part 2 of " + parts + " (bundle.tar.part002) hashes to ");
    Files.write(second, two);
    Files.write(third, Arrays.copyOf(three, three.length - 1));
    assertThatThrownBy(() -> Bundles.verify(first, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "part 3 of "
                + parts
                + " (bundle.tar.part003) holds 1023 bytes, not 1024 (truncated in transfer?)");
    Files.delete(third);
    assertThatThrownBy(() -> Bundles.verify(first, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage("part 3 of " + parts + " (bundle.tar.part003) is missing");
    // A damaged byte in the signature fails the signature check before the part's digest is
    // reached: the damaged part is named, not a wrong key.
    Files.write(third, three);
    int part = signatureAt / 1024 + 1;
    Path damaged = temp.resolve(String.format("bundle.tar.part%03d", part));
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[signatureAt % 1024 + 10] ^= 0x01;
    Files.write(damaged, bytes);
    assertThatThrownBy(() -> Bundles.verify(first, KEY.publicKey()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith(
            "part " + part + " of " + parts + " (" + damaged.getFileName() + ") hashes to ");
  }

  @Test
  void partsGoWhereTheyAreAskedAndNeverOverAnEarlierSplit() throws Exception {
    Path medium = Files.createDirectories(temp.resolve("medium"));
    Path out = medium.resolve("deployment.tar");

    Path first = BundleParts.split(bundle, 1024, out);

    assertThat(first).isEqualTo(medium.resolve("deployment.tar.part000"));
    assertThat(bundle).doesNotExist();
    assertThat(Bundles.verify(first, KEY.publicKey()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    Bundles.create(lock, temp.resolve("scratch"), KEY, bundle);
    try (var before = Files.list(medium)) {
      List<Path> parts = before.sorted().toList();
      assertThatThrownBy(() -> BundleParts.split(bundle, 1024, out))
          .isInstanceOf(io.airgap.core.InputException.class)
          .hasMessageStartingWith(medium + " already holds parts of a bundle deployment.tar [")
          .hasMessageEndingWith("]; remove them or choose another name");
      try (var after = Files.list(medium)) {
        assertThat(after.sorted().toList()).isEqualTo(parts);
      }
    }
    assertThat(bundle).exists();
  }

  @Test
  void aFileThatNoLongerMatchesTheLockIsRefusedAtCreate() throws Exception {
    Path model = temp.resolve("scratch/fraud/model.onnx");
    Files.writeString(model, "ONNX BYTES"); // same size, other bytes
    String locked = lock.artifact("fraud").orElseThrow().files().get(0).sha256();

    assertThatThrownBy(
            () -> Bundles.create(lock, temp.resolve("scratch"), KEY, temp.resolve("again.tar")))
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
            () -> Bundles.create(lock, temp.resolve("scratch"), KEY, temp.resolve("again.tar")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(model + " is larger than the 10 bytes locked for model.onnx");
    assertThat(partials()).isEmpty();

    Files.writeString(model, "onnx");
    assertThatThrownBy(
            () -> Bundles.create(lock, temp.resolve("scratch"), KEY, temp.resolve("again.tar")))
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
  void theArchiveIsWholeTarBlocksEndingInZeroRecords() throws Exception {
    long size = Files.size(bundle);
    assertThat(size % BundleTarWriter.BLOCK).isZero();
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(bundle)) {
      java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(2 * BundleTarWriter.RECORD);
      channel.read(tail, size - 2 * BundleTarWriter.RECORD); // the two end-of-archive records
      assertThat(tail.array()).containsOnly((byte) 0);
    }
  }

  @Test
  void twoBlobsFailingTogetherFailTheBundleAndLeaveNothing() throws Exception {
    Files.writeString(temp.resolve("scratch/fraud/model.onnx"), "ONNX BYTES");
    Files.writeString(temp.resolve("scratch/fraud/sub/vocab.txt"), "c\nd\n");

    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> Bundles.create(lock, temp.resolve("scratch"), KEY, temp.resolve("again.tar")));

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
  void gnuTarListsTheMembersInOrderOwnedByNoOne() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(gnuTar(), "GNU tar is not installed");
    ProcessBuilder command =
        new ProcessBuilder("tar", "--numeric-owner", "-tvf", bundle.toString())
            .redirectErrorStream(true);
    command.environment().put("TZ", "UTC"); // tar shows times in local time
    Process tar = command.start();
    String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(tar.waitFor()).isZero();
    List<String> lines = listing.lines().toList();
    assertThat(lines).hasSize(members(bundle).size());
    assertThat(lines.get(0)).startsWith("-rw-r--r-- 0/0").endsWith(" oci-layout");
    assertThat(lines.get(1)).endsWith(" index.json");
    assertThat(lines.get(2)).endsWith(" " + Bundles.SIGNATURE);
    assertThat(lines).allMatch(line -> line.startsWith("-rw-r--r-- 0/0 "));
    assertThat(lines).allMatch(line -> line.contains(" 1970-01-01 00:00 "));
  }

  /** Whether {@code tar} on the path is GNU tar (bsdtar lists in another format). */
  private static boolean gnuTar() {
    try {
      Process version = new ProcessBuilder("tar", "--version").redirectErrorStream(true).start();
      String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return version.waitFor() == 0 && text.contains("GNU tar");
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void sizesOfEightGibibytesAndMoreAreEncodedSoTarReadersParseThem() {
    long size = 10L << 30;
    java.nio.ByteBuffer header = BundleTarWriter.header("blobs/sha256/" + "a".repeat(64), size);

    org.apache.commons.compress.archivers.tar.TarArchiveEntry parsed =
        new org.apache.commons.compress.archivers.tar.TarArchiveEntry(header.array());
    assertThat(parsed.getSize()).isEqualTo(size);
    assertThat(parsed.getName()).isEqualTo("blobs/sha256/" + "a".repeat(64));
  }

  @Test
  void creatingFromRepositoriesFetchesAgainAndLeavesNoScratch() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out")).resolve("fetched.tar");

    Bundles.create(
        lock, List.of(new DirectoryMirror(temp.resolve("mirror"))), KEY, out, Progress.NONE);

    assertThat(Bundles.verify(out, KEY.publicKey()).artifacts())
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
                    List.of(new DirectoryMirror(temp.resolve("mirror"))),
                    KEY,
                    out,
                    Progress.NONE))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "the repositories now return other files than the lock records for [tok];"
                + " lock again if the change is intended");
    try (var entries = Files.list(temp.resolve("out"))) {
      assertThat(entries).isEmpty();
    }
  }
}
