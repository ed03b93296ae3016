package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Older media: a store refuses older content, and an age limit refuses old bundles. */
class BundleRollbackTest extends BundleFixture {
  @Test
  void anOlderBundleReplayedAfterANewerOneIsRefused() throws Exception {
    java.time.Instant monday = java.time.Instant.parse("2026-11-23T09:00:00Z");
    java.time.Instant friday = java.time.Instant.parse("2026-11-27T17:30:00.750Z");
    Path older = temp.resolve("monday.tar");
    Bundles.create(
        lock,
        KEY,
        older,
        BundleOptions.builder().files(temp.resolve("scratch")).created(monday).build());
    // By Friday the model changed; the tokenizer did not.
    Lockfile changed = lockWithChangedModel();
    Path newer = temp.resolve("friday.tar");
    Bundles.create(
        changed,
        KEY,
        newer,
        BundleOptions.builder().files(temp.resolve("v2")).created(friday).build());
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThat(Bundles.verify(older, KEY.publicKey(), VerifyOptions.defaults()).created())
        .isEqualTo(monday);
    assertThat(
            Bundles.importInto(newer, KEY.publicKey(), store, VerifyOptions.defaults()).created())
        .isEqualTo(java.time.Instant.parse("2026-11-27T17:30:00Z"));
    byte[] index = Files.readAllBytes(store.root().resolve("index.json"));
    assertThatThrownBy(
            () -> Bundles.importInto(older, KEY.publicKey(), store, VerifyOptions.defaults()))
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
        KEY,
        older,
        BundleOptions.builder()
            .files(temp.resolve("scratch"))
            .created(java.time.Instant.parse("2026-11-23T09:00:00Z"))
            .build());
    Lockfile changed = lockWithChangedModel();
    Path newer = temp.resolve("friday.tar");
    Bundles.create(
        changed,
        KEY,
        newer,
        BundleOptions.builder()
            .files(temp.resolve("v2"))
            .created(java.time.Instant.parse("2026-11-27T17:30:00Z"))
            .build());
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(newer, KEY.publicKey(), store, VerifyOptions.defaults());
    // A blob of the older bundle is damaged too: had its blobs been read, that would be the error.
    byte[] bytes = Files.readAllBytes(older);
    bytes[indexOf(bytes, "onnx bytes".getBytes(StandardCharsets.UTF_8))] ^= 1;
    Files.write(older, bytes);
    Path split = Files.createDirectories(temp.resolve("split"));
    Path first = BundleParts.split(Files.copy(older, split.resolve("monday.tar")), 4096);

    for (Path replayed : List.of(older, first)) { // whole, and in parts (none read past the head)
      assertThatThrownBy(
              () -> Bundles.importInto(replayed, KEY.publicKey(), store, VerifyOptions.defaults()))
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
        KEY,
        monday,
        BundleOptions.builder()
            .files(temp.resolve("scratch"))
            .created(java.time.Instant.parse("2026-11-23T09:00:00Z"))
            .build());
    java.time.Clock friday =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-27T17:30:00.250Z"), java.time.ZoneOffset.UTC);
    BundleAge week = new BundleAge(java.time.Duration.ofDays(7), friday);
    BundleAge day = new BundleAge(java.time.Duration.ofDays(1), friday);
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));

    assertThat(
            Bundles.verify(monday, KEY.publicKey(), VerifyOptions.builder().age(week).build())
                .created())
        .isEqualTo(java.time.Instant.parse("2026-11-23T09:00:00Z"));
    assertThatThrownBy(
            () ->
                Bundles.importInto(
                    monday, KEY.publicKey(), store, VerifyOptions.builder().age(day).build()))
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
        KEY,
        tokOnly,
        BundleOptions.builder().files(temp.resolve("scratch")).created(monday).build());
    Path newer = temp.resolve("friday.tar");
    Bundles.create(
        lock,
        KEY,
        newer,
        BundleOptions.builder().files(temp.resolve("scratch")).created(friday).build());
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(newer, KEY.publicKey(), store, VerifyOptions.defaults());

    // The tokenizer's bytes are what Friday's bundle brought: Monday's media repair, not revert.
    assertThat(
            Bundles.importInto(tokOnly, KEY.publicKey(), store, VerifyOptions.defaults())
                .artifacts())
        .hasSize(1);
    assertThat(Files.readString(store.root().resolve("index.json")))
        .doesNotContain("2026-11-23T09:00:00Z")
        .contains("\"io.airgap.bundle.created\": \"2026-11-27T17:30:00Z\"");
    assertThat(store.checkProvenance(KEY.publicKey())).isEmpty();
    assertThat(store.unreferenced()).isEmpty();
    // The same bundle again, and a later one, are taken.
    Bundles.importInto(newer, KEY.publicKey(), store, VerifyOptions.defaults());
    Path later = temp.resolve("later.tar");
    Bundles.create(
        lock,
        KEY,
        later,
        BundleOptions.builder()
            .files(temp.resolve("scratch"))
            .created(friday.plusSeconds(60))
            .build());
    Bundles.importInto(later, KEY.publicKey(), store, VerifyOptions.defaults());
    assertThat(Files.readString(store.root().resolve("index.json")))
        .contains("\"io.airgap.bundle.created\": \"2026-11-27T17:31:00Z\"");
  }

  @Test
  void otherContentFromABundleOfTheSameSecondIsRefused() throws Exception {
    java.time.Instant second = java.time.Instant.parse("2026-11-27T17:30:00Z");
    Path first = temp.resolve("first.tar");
    Bundles.create(
        lock,
        KEY,
        first,
        BundleOptions.builder().files(temp.resolve("scratch")).created(second).build());
    Lockfile changed = lockWithChangedModel();
    Path same = temp.resolve("same-second.tar");
    Bundles.create(
        changed,
        KEY,
        same,
        BundleOptions.builder().files(temp.resolve("v2")).created(second.plusMillis(400)).build());
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(first, KEY.publicKey(), store, VerifyOptions.defaults());

    // Which of the two is newer cannot be told from whole seconds: neither replaces the other.
    assertThatThrownBy(
            () -> Bundles.importInto(same, KEY.publicKey(), store, VerifyOptions.defaults()))
        .isInstanceOf(io.airgap.core.trust.RollbackException.class)
        .hasMessageStartingWith(
            "the bundle was created 2026-11-27T17:30:00Z, no later than the bundles that brought"
                + " other content of the store's fraud (from a bundle created 2026-11-27T17:30:00Z)");
  }
}
